package com.smsgateway.outbound;

import com.smsgateway.config.Config;
import com.smsgateway.ratelimit.RateLimitConfig;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.Function;

/**
 * Brands from configuration and registration: each workspace has one brand ({@code workspace-<workspace id>}) whose
 * tier is that of its approved A2P brand (a standard brand's by its trust score), else
 * {@code ratelimit.workspace_brands.default_tier}; pool numbers share the platform's brand {@code ratelimit.pool_brand.id}
 * of tier {@code ratelimit.pool_brand.tier}; a BYO number is charged to its account's brand {@code byo-<account sid>}
 * with the tier its owner declared.
 */
public final class ConfiguredBrandResolver implements BrandResolver {
  static final String WORKSPACE_BRAND_PREFIX = "workspace-";
  static final String BYO_BRAND_PREFIX = "byo-";

  /** Where registered tiers come from; each answers empty when nothing is registered. */
  public interface RegisteredTiers {
    /** The rate-limit tier of the workspace's approved brand. */
    Future<Optional<String>> workspaceTier(String workspaceId);

    /** The BYO number's account SID and declared tier, when it is a BYO number. */
    Future<Optional<ByoBrand>> byoNumber(String phoneNumber);

    /** The tier declared for the BYO account's numbers. */
    Future<Optional<String>> byoAccountTier(String accountSid);
  }

  public record ByoBrand(String accountSid, String tier) {}

  /** Nothing registered: every workspace has the default tier and BYO numbers are not limited. */
  static final RegisteredTiers NONE = new RegisteredTiers() {
    @Override
    public Future<Optional<String>> workspaceTier(String workspaceId) {
      return Future.succeededFuture(Optional.empty());
    }

    @Override
    public Future<Optional<ByoBrand>> byoNumber(String phoneNumber) {
      return Future.succeededFuture(Optional.empty());
    }

    @Override
    public Future<Optional<String>> byoAccountTier(String accountSid) {
      return Future.succeededFuture(Optional.empty());
    }
  };

  private final String workspaceTier;
  private final Brand poolBrand;
  private final RegisteredTiers registered;
  private final RateLimitConfig limits;

  ConfiguredBrandResolver(String workspaceTier, Brand poolBrand, RegisteredTiers registered, RateLimitConfig limits) {
    this.workspaceTier = workspaceTier;
    this.poolBrand = poolBrand;
    this.registered = registered;
    this.limits = limits;
  }

  public static ConfiguredBrandResolver from(Config root, RateLimitConfig limits) {
    return from(root, limits, NONE);
  }

  public static ConfiguredBrandResolver from(Config root, RateLimitConfig limits, RegisteredTiers registered) {
    Config config = root.at("ratelimit");
    String workspaceTier = configuredTier(config, "workspace_brands.default_tier", "low_volume", limits);
    String poolId = config.string("pool_brand.id", "platform-pool");
    if (!poolId.matches("[A-Za-z0-9_.:-]{1,64}") || poolId.startsWith(WORKSPACE_BRAND_PREFIX) || poolId.startsWith(BYO_BRAND_PREFIX)) {
      throw config.invalid("pool_brand.id", poolId, "must be 1-64 letters, digits or _ . : - and not start with "
          + WORKSPACE_BRAND_PREFIX + " or " + BYO_BRAND_PREFIX);
    }
    return new ConfiguredBrandResolver(workspaceTier,
        new Brand(poolId, configuredTier(config, "pool_brand.tier", "standard", limits), Optional.empty()), registered, limits);
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
    return switch (kind) {
      case PLATFORM -> workspaceBrand(workspaceId).map(Optional::of);
      case POOL -> Future.succeededFuture(Optional.of(poolBrand));
      case BYO -> registered.byoNumber(senderNumber).map(byo -> byo
          .filter(brand -> brand.tier() != null && limits.tiers().containsKey(brand.tier()))
          .map(brand -> new Brand(BYO_BRAND_PREFIX + brand.accountSid(), brand.tier(), Optional.of(workspaceId))));
    };
  }

  @Override
  public Future<Optional<Brand>> find(String brandId) {
    if (brandId.equals(poolBrand.id())) {
      return Future.succeededFuture(Optional.of(poolBrand));
    }
    if (brandId.startsWith(WORKSPACE_BRAND_PREFIX) && brandId.length() > WORKSPACE_BRAND_PREFIX.length()) {
      return workspaceBrand(brandId.substring(WORKSPACE_BRAND_PREFIX.length())).map(Optional::of);
    }
    if (brandId.startsWith(BYO_BRAND_PREFIX) && brandId.length() > BYO_BRAND_PREFIX.length()) {
      String accountSid = brandId.substring(BYO_BRAND_PREFIX.length());
      return registered.byoAccountTier(accountSid).map(tier -> tier
          .filter(limits.tiers()::containsKey)
          .map(known -> new Brand(brandId, known, Optional.empty())));
    }
    return Future.succeededFuture(Optional.empty());
  }

  private Future<Brand> workspaceBrand(String workspaceId) {
    Function<Optional<String>, Brand> brand = tier -> new Brand(WORKSPACE_BRAND_PREFIX + workspaceId,
        tier.filter(limits.tiers()::containsKey).orElse(workspaceTier), Optional.of(workspaceId));
    return registered.workspaceTier(workspaceId).map(brand);
  }
}
