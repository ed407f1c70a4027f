package com.smsgateway.ratelimit;

import com.smsgateway.redis.RedisScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Per-brand segment budgets in Redis: a per-second throughput and daily caps (all US traffic, and T-Mobile),
 * shared by every gateway replica. Checking and charging is one Lua script call, so replicas racing for the last
 * segments of a budget can never overshoot it.
 *
 * <p>All keys of a brand carry the hash tag {@code {brand:<id>}}, so each script touches one cluster slot:
 * {@code <prefix>{brand:42}:day:2026-11-26:total}, {@code ...:day:2026-11-26:tmo}, {@code ...:sec:<epochSecond>}.
 * The day and the second come from the injected {@link Clock}, not from Redis {@code TIME}.
 */
public final class SegmentLimiter {

  /** A second's counter is only read during that second; the margin covers clock skew between replicas. */
  private static final Duration SECOND_KEY_TTL = Duration.ofSeconds(5);

  private static final RedisScript CHARGE = RedisScript.fromClasspath("/lua/segment_limit.lua");
  private static final RedisScript REFUND = RedisScript.fromClasspath("/lua/segment_refund.lua");

  private final Redis redis;
  private final String keyPrefix;
  private final RateLimitConfig config;
  private final Clock clock;

  /**
   * @param keyPrefix prepended to every key, e.g. {@code sms:limits:}; it must not contain braces, which would
   *                  take the place of the brand's hash tag
   */
  public SegmentLimiter(Redis redis, String keyPrefix, RateLimitConfig config, Clock clock) {
    if (keyPrefix.contains("{") || keyPrefix.contains("}")) {
      throw new IllegalArgumentException("key prefix must not contain braces: " + keyPrefix);
    }
    this.redis = redis;
    this.keyPrefix = keyPrefix;
    this.config = config;
    this.clock = clock;
  }

  /**
   * Charges {@code segments} to the brand's per-second and daily-total budgets, and to its T-Mobile budget when
   * the recipient is on T-Mobile, if every one of them has room; otherwise charges nothing.
   */
  public Future<LimitDecision> tryCharge(String brandId, String tier, Carrier carrier, int segments) {
    return checkSegments(segments)
        .compose(ok -> limitsOf(tier))
        .compose(limits -> charge(brandId, limits, carrier, segments));
  }

  private Future<LimitDecision> charge(String brandId, TierLimits limits, Carrier carrier, int segments) {
    Instant now = clock.instant();
    long second = now.getEpochSecond();
    CarrierDay day = CarrierDay.containing(now, config.carrierDayZone());
    List<String> keys = List.of(secondKey(brandId, second), dayKey(brandId, day.date(), DailyCounter.TOTAL),
        dayKey(brandId, day.date(), DailyCounter.TMOBILE));
    List<String> args = List.of(
        Integer.toString(segments),
        Long.toString(limits.segmentsPerSecond()),
        Long.toString(limits.dailyTotalSegments()),
        Long.toString(limits.dailyTmobileSegments()),
        carrier == Carrier.TMOBILE ? "1" : "0",
        Long.toString(SECOND_KEY_TTL.toSeconds()),
        Long.toString(dayKeyTtlSeconds(now, day)));
    return CHARGE.run(redis, keys, args).map(reply -> {
      SegmentBudgets budgets = budgets(limits, reply.get(2).toLong(), reply.get(3).toLong(),
          reply.get(4).toLong());
      if (reply.get(0).toInteger() == 1) {
        return new LimitDecision.Allowed(budgets);
      }
      SegmentLimit limit = SegmentLimit.fromCode(reply.get(1).toString());
      Instant retryAt = limit == SegmentLimit.PER_SECOND ? Instant.ofEpochSecond(second + 1) : day.end();
      return new LimitDecision.Rejected(limit, retryAt, budgets);
    });
  }

  /**
   * Gives {@code segments} back to the daily budgets of the carrier day they were charged on, e.g. when Twilio
   * refused the send. A budget never goes below zero; a day whose counters have expired is left alone.
   */
  public Future<Void> refund(String brandId, String tier, Carrier carrier, int segments, Instant chargedAt) {
    return checkSegments(segments).compose(ok -> limitsOf(tier)).compose(unused -> {
      LocalDate day = CarrierDay.containing(chargedAt, config.carrierDayZone()).date();
      List<String> keys = carrier == Carrier.TMOBILE
          ? List.of(dayKey(brandId, day, DailyCounter.TOTAL), dayKey(brandId, day, DailyCounter.TMOBILE))
          : List.of(dayKey(brandId, day, DailyCounter.TOTAL));
      return REFUND.run(redis, keys, List.of(Integer.toString(segments))).mapEmpty();
    });
  }

  /** The brand's use of its budgets now: this second and today (carrier day). */
  public Future<BrandUsage> usage(String brandId, String tier) {
    return limitsOf(tier).compose(limits -> {
      Instant now = clock.instant();
      CarrierDay day = CarrierDay.containing(now, config.carrierDayZone());
      Request mget = Request.cmd(Command.MGET)
          .arg(secondKey(brandId, now.getEpochSecond()))
          .arg(dayKey(brandId, day.date(), DailyCounter.TOTAL))
          .arg(dayKey(brandId, day.date(), DailyCounter.TMOBILE));
      return redis.send(mget).map(reply -> new BrandUsage(brandId, tier, day.date(), day.end(),
          budgets(limits, countOf(reply.get(0)), countOf(reply.get(1)), countOf(reply.get(2)))));
    });
  }

  private static Future<Void> checkSegments(int segments) {
    return segments > 0
        ? Future.succeededFuture()
        : Future.failedFuture(new IllegalArgumentException("segments must be positive: " + segments));
  }

  /** Fails (rather than throws) on an unknown tier, so callers handle every error in one place. */
  private Future<TierLimits> limitsOf(String tier) {
    try {
      return Future.succeededFuture(config.tier(tier));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  private static SegmentBudgets budgets(TierLimits limits, long secondUsed, long totalUsed, long tmobileUsed) {
    return new SegmentBudgets(
        new LimitUsage(limits.segmentsPerSecond(), secondUsed),
        new LimitUsage(limits.dailyTotalSegments(), totalUsed),
        new LimitUsage(limits.dailyTmobileSegments(), tmobileUsed));
  }

  private static long countOf(Response value) {
    return value == null ? 0 : value.toLong();
  }

  /** Day counters live until the day is over plus the slack, counted from now so any clock works. */
  private long dayKeyTtlSeconds(Instant now, CarrierDay day) {
    Duration untilExpiry = Duration.between(now, day.end()).plus(config.dailyKeyTtlSlack());
    return Math.max(1, untilExpiry.toSeconds() + 1);
  }

  private String brandTag(String brandId) {
    return keyPrefix + "{brand:" + brandId + "}";
  }

  private String secondKey(String brandId, long epochSecond) {
    return brandTag(brandId) + ":sec:" + epochSecond;
  }

  private String dayKey(String brandId, LocalDate day, DailyCounter counter) {
    return brandTag(brandId) + ":day:" + day + ":" + counter.suffix;
  }

  private enum DailyCounter {
    TOTAL("total"),
    TMOBILE("tmo");

    private final String suffix;

    DailyCounter(String suffix) {
      this.suffix = suffix;
    }
  }
}
