package com.smsgateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.smsgateway.config.Config;
import com.smsgateway.config.ConfigException;
import com.smsgateway.ratelimit.RateLimitConfig;
import com.smsgateway.ratelimit.TierLimits;
import com.smsgateway.testing.Await;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code ratelimit.*}: tiers with defaults and validation, and the configured brands of sending numbers. */
class BrandConfigTest {

  @Test
  void withoutConfigurationTheCarriersPublishedTiersApply() {
    RateLimitConfig limits = RateLimitConfig.from(Config.fromYaml("", Map.of()));

    assertThat(limits.tiers()).containsEntry("low_volume", TierLimits.LOW_VOLUME).containsEntry("standard", TierLimits.STANDARD);
    assertThat(limits.carrierDayZone()).isEqualTo(ZoneId.of("America/Los_Angeles"));
  }

  @Test
  void aTierLimitCanBeOverriddenAndATierAdded() {
    RateLimitConfig limits = RateLimitConfig.from(Config.fromYaml("""
        ratelimit:
          tiers:
            vip: {daily_segments: 900, daily_tmobile_segments: 300, segments_per_second: 9}
        """, Map.of("GATEWAY_RATELIMIT_TIERS_STANDARD_SEGMENTS_PER_SECOND", "150")));

    assertThat(limits.tier("standard").segmentsPerSecond()).isEqualTo(150);
    assertThat(limits.tier("vip")).isEqualTo(new TierLimits("vip", 900, 300, 9));
  }

  @Test
  void aTmobileCapAboveTheTotalIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> RateLimitConfig.from(Config.fromYaml("", Map.of("GATEWAY_RATELIMIT_TIERS_LOW_VOLUME_DAILY_TMOBILE_SEGMENTS", "7000"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ratelimit.tiers.low_volume.daily_tmobile_segments");
  }

  @Test
  void anUnknownZoneIsRefused() {
    assertThatThrownBy(() -> RateLimitConfig.from(Config.fromYaml("", Map.of("GATEWAY_RATELIMIT_CARRIER_DAY_ZONE", "Mars/Olympus"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ratelimit.carrier_day_zone");
  }

  @Test
  void aBrandTierMustBeAConfiguredTier() {
    Config config = Config.fromYaml("", Map.of("GATEWAY_RATELIMIT_POOL_BRAND_TIER", "gold"));

    assertThatThrownBy(() -> ConfiguredBrandResolver.from(config, RateLimitConfig.from(config)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ratelimit.pool_brand.tier");
  }

  @Test
  void platformNumbersChargeTheirWorkspacesBrandPoolNumbersThePoolsAndByoNone() {
    Config config = Config.fromYaml("", Map.of());
    BrandResolver brands = ConfiguredBrandResolver.from(config, RateLimitConfig.from(config));

    assertThat(Await.result(brands.brandOf(SenderKind.PLATFORM, "+14155550100", "ws_1")))
        .contains(new Brand("workspace-ws_1", "low_volume", Optional.of("ws_1")));
    assertThat(Await.result(brands.brandOf(SenderKind.POOL, "+14155550101", "ws_1")))
        .contains(new Brand("platform-pool", "standard", Optional.empty()));
    assertThat(Await.result(brands.brandOf(SenderKind.BYO, "+14155550102", "ws_1"))).isEmpty();
    assertThat(Await.result(brands.find("workspace-ws_1"))).map(Brand::workspaceId).contains(Optional.of("ws_1"));
  }
}
