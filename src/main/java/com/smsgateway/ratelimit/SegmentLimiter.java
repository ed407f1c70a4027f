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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Per-brand segment budgets in Redis: a per-second throughput and daily caps (all US traffic, and T-Mobile),
 * shared by every gateway replica. Checking and charging is one Lua script call, so replicas racing for the last
 * segments of a budget can never overshoot it.
 *
 * <p>All keys of a brand carry the hash tag {@code {brand:<id>}}, so each script touches one cluster slot:
 * {@code <prefix>{brand:42}:day:2026-11-26:total}, {@code ...:day:2026-11-26:tmo}, {@code ...:sec:<epochSecond>},
 * the brand's copy of each recipient's carrier, {@code ...:carrier:+14155550100}, and for a shared brand each
 * workspace's share of the day, {@code ...:day:2026-11-26:ws:<workspace id>}.
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
  private final Duration carrierCacheTtl;
  private final Clock clock;
  private final RedisScript.WriteReplication replication;

  /**
   * @param keyPrefix prepended to every key, e.g. {@code sms:limits:}; it must not contain braces, which would
   *                  take the place of the brand's hash tag
   * @param carrierCacheTtl how long a recipient's carrier stays in a brand's cache
   */
  public SegmentLimiter(Redis redis, String keyPrefix, RateLimitConfig config, Duration carrierCacheTtl, Clock clock) {
    this(redis, keyPrefix, config, carrierCacheTtl, clock, RedisScript.WriteReplication.NONE);
  }

  /** @param replication replicas that must confirm each charge before it counts (see {@link RedisScript}) */
  public SegmentLimiter(Redis redis, String keyPrefix, RateLimitConfig config, Duration carrierCacheTtl, Clock clock,
                        RedisScript.WriteReplication replication) {
    if (keyPrefix.contains("{") || keyPrefix.contains("}")) {
      throw new IllegalArgumentException("key prefix must not contain braces: " + keyPrefix);
    }
    this.redis = redis;
    this.keyPrefix = keyPrefix;
    this.config = config;
    this.carrierCacheTtl = carrierCacheTtl;
    this.clock = clock;
    this.replication = replication;
  }

  /** {@link #tryCharge(String, String, String, int, Optional, Function)} for a brand with no workspace shares. */
  public Future<LimitDecision> tryCharge(String brandId, String tier, String recipient, int segments,
      Function<String, Future<CarrierGroup>> carrierLookup) {
    return tryCharge(brandId, tier, recipient, segments, Optional.empty(), carrierLookup);
  }

  /**
   * Charges {@code segments} to the brand's per-second and daily-total budgets, to its T-Mobile budget when
   * {@code recipient} is on T-Mobile, and to the sending workspace's {@code share} of the brand when given, if every
   * one of them has room; otherwise charges nothing.
   *
   * <p>The recipient's carrier comes from the brand's carrier cache, read by the script itself: one round trip.
   * Only when the cache does not know the recipient, and the budgets every text is charged to (total, share, per
   * second) have room, is {@code carrierLookup} asked (a paid Twilio Lookup, never for a brand over budget); the
   * charge is then made again with its answer, which the script caches (except {@link CarrierGroup#UNKNOWN}, so a failed
   * lookup is retried).
   *
   * @param carrierLookup the recipient's carrier when it is not cached; it should not fail (a failure fails the
   *                      charge), but answer {@link CarrierGroup#UNKNOWN}
   */
  public Future<LimitDecision> tryCharge(String brandId, String tier, String recipient, int segments,
      Optional<WorkspaceShare> share, Function<String, Future<CarrierGroup>> carrierLookup) {
    return checkSegments(segments)
        .compose(ok -> limitsOf(tier))
        .compose(limits -> charge(brandId, limits, recipient, share, Optional.empty(), segments)
            .compose(charged -> charged.isPresent()
                ? Future.succeededFuture(charged.get())
                : carrierLookup.apply(recipient)
                    .compose(carrier -> charge(brandId, limits, recipient, share, Optional.of(carrier), segments))
                    .map(Optional::orElseThrow)));
  }

  /**
   * One run of the script. With no {@code carrier} it uses the cached one, and answers empty (charging nothing)
   * when there is none and no carrier-free budget refuses; with a carrier it always decides.
   */
  private Future<Optional<LimitDecision>> charge(String brandId, TierLimits limits, String recipient,
      Optional<WorkspaceShare> share, Optional<CarrierGroup> carrier, int segments) {
    Instant now = clock.instant();
    long second = now.getEpochSecond();
    CarrierDay day = CarrierDay.containing(now, config.carrierDayZone());
    List<String> keys = new ArrayList<>(List.of(secondKey(brandId, second), dayKey(brandId, day.date(), DailyCounter.TOTAL),
        dayKey(brandId, day.date(), DailyCounter.TMOBILE), carrierKey(brandId, recipient)));
    List<String> args = new ArrayList<>(List.of(
        Integer.toString(segments),
        Long.toString(limits.segmentsPerSecond()),
        Long.toString(limits.dailyTotalSegments()),
        Long.toString(limits.dailyTmobileSegments()),
        Long.toString(SECOND_KEY_TTL.toSeconds()),
        Long.toString(dayKeyTtlSeconds(now, day)),
        Long.toString(Math.max(1, carrierCacheTtl.toSeconds())), // EX takes whole seconds, at least one
        carrier.map(CarrierGroup::code).orElse("")));
    share.ifPresent(workspace -> {
      keys.add(shareKey(brandId, day.date(), workspace.workspaceId()));
      args.add(Long.toString(workspace.dailySegments()));
    });
    return CHARGE.run(redis, keys, args, replication).map(reply -> {
      String outcome = reply.get(0).toString();
      if (outcome.equals("carrier_needed")) {
        return Optional.empty();
      }
      SegmentBudgets budgets = budgets(limits, reply.get(2).toLong(), reply.get(3).toLong(), reply.get(4).toLong(),
          share.map(workspace -> new LimitUsage(workspace.dailySegments(), reply.get(6).toLong())));
      String chargedCode = reply.get(5).toString();
      CarrierGroup charged = chargedCode.isEmpty() ? CarrierGroup.UNKNOWN : CarrierGroup.fromCode(chargedCode);
      boolean cached = carrier.isEmpty() && !chargedCode.isEmpty();
      if (outcome.equals("charged")) {
        return Optional.of(new LimitDecision.Allowed(charged, cached, budgets, now));
      }
      SegmentLimit limit = SegmentLimit.fromCode(reply.get(1).toString());
      Instant retryAt = limit == SegmentLimit.PER_SECOND ? Instant.ofEpochSecond(second + 1) : day.end();
      return Optional.of(new LimitDecision.Rejected(limit, retryAt, charged, cached, budgets));
    });
  }

  /** {@link #refund(String, String, CarrierGroup, int, Instant, Optional)} of a charge without a workspace share. */
  public Future<Void> refund(String brandId, String tier, CarrierGroup carrier, int segments, Instant chargedAt) {
    return refund(brandId, tier, carrier, segments, chargedAt, Optional.empty());
  }

  /**
   * Gives {@code segments} back to the daily budgets of the carrier day they were charged on, e.g. when Twilio
   * refused the send, and to the workspace's share of the brand when the charge had one ({@code shareWorkspaceId}).
   * A budget never goes below zero; a day whose counters have expired is left alone.
   */
  public Future<Void> refund(String brandId, String tier, CarrierGroup carrier, int segments, Instant chargedAt,
      Optional<String> shareWorkspaceId) {
    return checkSegments(segments).compose(ok -> limitsOf(tier)).compose(unused -> {
      LocalDate day = CarrierDay.containing(chargedAt, config.carrierDayZone()).date();
      List<String> keys = new ArrayList<>(List.of(dayKey(brandId, day, DailyCounter.TOTAL)));
      if (carrier == CarrierGroup.TMOBILE) {
        keys.add(dayKey(brandId, day, DailyCounter.TMOBILE));
      }
      shareWorkspaceId.ifPresent(workspace -> keys.add(shareKey(brandId, day, workspace)));
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
    return budgets(limits, secondUsed, totalUsed, tmobileUsed, Optional.empty());
  }

  private static SegmentBudgets budgets(TierLimits limits, long secondUsed, long totalUsed, long tmobileUsed,
      Optional<LimitUsage> share) {
    return new SegmentBudgets(
        new LimitUsage(limits.segmentsPerSecond(), secondUsed),
        new LimitUsage(limits.dailyTotalSegments(), totalUsed),
        new LimitUsage(limits.dailyTmobileSegments(), tmobileUsed),
        share);
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

  /** A workspace's share of a shared brand's day: under the brand's hash tag, so the brand's script charges it. */
  private String shareKey(String brandId, LocalDate day, String workspaceId) {
    return brandTag(brandId) + ":day:" + day + ":ws:" + workspaceId;
  }

  /** Each brand keeps its own copy of a recipient's carrier, in its slot, for its script to read. */
  private String carrierKey(String brandId, String recipient) {
    return brandTag(brandId) + ":carrier:" + recipient;
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
