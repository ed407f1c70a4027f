package com.smsgateway.ratelimit;

import com.smsgateway.config.Config;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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

  /**
   * The {@code ratelimit.*} section: {@code tiers.<name>.daily_segments | daily_tmobile_segments |
   * segments_per_second} (low_volume, standard and standard_score_75/50/25/1 (a standard brand by trust score) always
   * exist, with the carriers' published limits unless
   * overridden; more tiers may be added), {@code carrier_day_zone} and {@code daily_key_ttl_slack}.
   */
  public static RateLimitConfig from(Config root) {
    Config config = root.at("ratelimit");
    Map<String, TierLimits> tiers = new LinkedHashMap<>();
    for (TierLimits defaults : List.of(TierLimits.LOW_VOLUME, TierLimits.STANDARD, TierLimits.STANDARD_SCORE_75,
        TierLimits.STANDARD_SCORE_50, TierLimits.STANDARD_SCORE_25, TierLimits.STANDARD_SCORE_1)) {
      tiers.put(defaults.name(), tierFrom(config, defaults.name(), defaults));
    }
    for (String name : config.childNames("tiers")) {
      if (!name.matches("[a-z][a-z0-9_]{0,31}")) {
        throw config.invalid("tiers." + name, name, "is not a tier name (lower case letters, digits and _)");
      }
      tiers.computeIfAbsent(name, unknown -> tierFrom(config, name, null));
    }
    String zone = config.string("carrier_day_zone", DEFAULT_CARRIER_DAY_ZONE.getId());
    ZoneId carrierDayZone;
    try {
      carrierDayZone = ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw config.invalid("carrier_day_zone", zone, "must be a time zone id such as America/Los_Angeles");
    }
    return new RateLimitConfig(tiers, carrierDayZone, config.duration("daily_key_ttl_slack", DEFAULT_DAILY_KEY_TTL_SLACK));
  }

  /** A tier's limits; without {@code defaults} every limit must be configured. */
  private static TierLimits tierFrom(Config config, String name, TierLimits defaults) {
    Config tier = config.at("tiers." + name);
    long daily = defaults == null ? requiredCount(tier, "daily_segments") : tier.longValue("daily_segments", defaults.dailyTotalSegments(), 1);
    long tmobile = defaults == null ? requiredCount(tier, "daily_tmobile_segments") : tier.longValue("daily_tmobile_segments", defaults.dailyTmobileSegments(), 1);
    long perSecond = defaults == null ? requiredCount(tier, "segments_per_second") : tier.longValue("segments_per_second", defaults.segmentsPerSecond(), 1);
    if (tmobile > daily) {
      throw tier.invalid("daily_tmobile_segments", tmobile, "must not exceed daily_segments (" + daily + "): T-Mobile traffic is part of the total");
    }
    return new TierLimits(name, daily, tmobile, perSecond);
  }

  private static long requiredCount(Config tier, String key) {
    tier.requiredString(key);
    return tier.longValue(key, 0, 1);
  }

  /** The {@code low_volume} and {@code standard} tiers (and standard by trust score) with the carriers' published limits. */
  public static RateLimitConfig defaults() {
    return of(DEFAULT_CARRIER_DAY_ZONE, TierLimits.LOW_VOLUME, TierLimits.STANDARD, TierLimits.STANDARD_SCORE_75,
        TierLimits.STANDARD_SCORE_50, TierLimits.STANDARD_SCORE_25, TierLimits.STANDARD_SCORE_1);
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
