package com.smsgateway.outbound;

import com.smsgateway.config.Config;
import com.smsgateway.ratelimit.RateLimitConfig;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Brands from configuration, until registration records real ones: each workspace has one brand
 * ({@code workspace-<workspace id>}) of tier {@code ratelimit.workspace_brands.default_tier}; pool numbers share
 * the platform's brand {@code ratelimit.pool_brand.id} of tier {@code ratelimit.pool_brand.tier}; BYO numbers are
 * not limited (no tier declared).
 */
public final class ConfiguredBrandResolver implements BrandResolver {
  static final String WORKSPACE_BRAND_PREFIX = "workspace-";

  private final String workspaceTier;
  private final Brand poolBrand;

  ConfiguredBrandResolver(String workspaceTier, Brand poolBrand) {
    this.workspaceTier = workspaceTier;
    this.poolBrand = poolBrand;
  }

  public static ConfiguredBrandResolver from(Config root, RateLimitConfig limits) {
    Config config = root.at("ratelimit");
    String workspaceTier = configuredTier(config, "workspace_brands.default_tier", "low_volume", limits);
    String poolId = config.string("pool_brand.id", "platform-pool");
    if (!poolId.matches("[A-Za-z0-9_.:-]{1,64}") || poolId.startsWith(WORKSPACE_BRAND_PREFIX)) {
      throw config.invalid("pool_brand.id", poolId, "must be 1-64 letters, digits or _ . : - and not start with " + WORKSPACE_BRAND_PREFIX);
    }
    return new ConfiguredBrandResolver(workspaceTier,
        new Brand(poolId, configuredTier(config, "pool_brand.tier", "standard", limits), Optional.empty()));
  }

  private static String configuredTier(Config config, String key, String defaultTier, RateLimitConfig limits) {
    String tier = config.string(key, defaultTier);
    if (!limits.tiers().containsKey(tier)) {
      throw config.invalid(key, tier, "is not a tier of ratelimit.tiers " + limits.tiers().keySet());
    }
    return tier;
  }

  @Override
  public Future<Optional<Brand>> brandOf(SenderKind kind, String senderNumber, String workspaceId) {
    return Future.succeededFuture(switch (kind) {
      case PLATFORM -> Optional.of(workspaceBrand(workspaceId));
      case POOL -> Optional.of(poolBrand);
      case BYO -> Optional.empty();
    });
  }

  @Override
  public Future<Optional<Brand>> find(String brandId) {
    if (brandId.equals(poolBrand.id())) {
      return Future.succeededFuture(Optional.of(poolBrand));
    }
    if (brandId.startsWith(WORKSPACE_BRAND_PREFIX) && brandId.length() > WORKSPACE_BRAND_PREFIX.length()) {
      return Future.succeededFuture(Optional.of(workspaceBrand(brandId.substring(WORKSPACE_BRAND_PREFIX.length()))));
    }
    return Future.succeededFuture(Optional.empty());
  }

  private Brand workspaceBrand(String workspaceId) {
    return new Brand(WORKSPACE_BRAND_PREFIX + workspaceId, workspaceTier, Optional.of(workspaceId));
  }
}
