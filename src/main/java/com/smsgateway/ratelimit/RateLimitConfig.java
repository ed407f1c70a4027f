package com.smsgateway.ratelimit;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Segment limits per brand tier.
 *
 * @param tiers           limits by tier name
 * @param carrierDayZone  where the carriers' day runs from midnight to midnight
 * @param dailyKeyTtlSlack how long a day's counters outlive the day, so a late refund still finds them
 */
public record RateLimitConfig(Map<String, TierLimits> tiers, ZoneId carrierDayZone, Duration dailyKeyTtlSlack) {

  public static final ZoneId DEFAULT_CARRIER_DAY_ZONE = ZoneId.of("America/Los_Angeles");
  public static final Duration DEFAULT_DAILY_KEY_TTL_SLACK = Duration.ofHours(6);

  public RateLimitConfig {
    tiers = Map.copyOf(tiers);
    tiers.forEach((name, limits) -> {
      if (!name.equals(limits.name())) {
        throw new IllegalArgumentException("tier " + name + " is configured under the name " + limits.name());
      }
    });
    if (dailyKeyTtlSlack.isNegative()) {
      throw new IllegalArgumentException("dailyKeyTtlSlack must not be negative");
    }
  }

  /** The {@code low_volume} and {@code standard} tiers with the carriers' published limits. */
  public static RateLimitConfig defaults() {
    return of(DEFAULT_CARRIER_DAY_ZONE, TierLimits.LOW_VOLUME, TierLimits.STANDARD);
  }

  /** The given tiers, keyed by their names, with the default TTL slack. */
  public static RateLimitConfig of(ZoneId carrierDayZone, TierLimits... tiers) {
    Map<String, TierLimits> byName = Arrays.stream(tiers)
        .collect(Collectors.toMap(TierLimits::name, Function.identity()));
    return new RateLimitConfig(byName, carrierDayZone, DEFAULT_DAILY_KEY_TTL_SLACK);
  }

  /** The limits of {@code tier}; an unknown tier is a configuration error. */
  public TierLimits tier(String tier) {
    TierLimits limits = tiers.get(tier);
    if (limits == null) {
      throw new IllegalArgumentException("unknown brand tier " + tier + "; configured: " + tiers.keySet());
    }
    return limits;
  }
}
