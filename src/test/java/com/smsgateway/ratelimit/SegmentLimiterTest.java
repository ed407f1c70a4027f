package com.smsgateway.ratelimit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.smsgateway.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Against a real Redis; every test uses its own brand, and the class its own key prefix. */
@ExtendWith(VertxExtension.class)
class SegmentLimiterTest {
  private static final String PREFIX = TestServices.uniqueKeyPrefix(SegmentLimiterTest.class);
  /** 2026-11-26 10:00:00.250 in Los Angeles (PST, UTC-8). */
  private static final Instant THANKSGIVING_MORNING = Instant.parse("2026-11-26T18:00:00.250Z");

  private static final TierLimits SMALL = new TierLimits("small", 100, 10, 1_000);
  private static final TierLimits SLOW = new TierLimits("slow", 1_000, 1_000, 12);
  private static final TierLimits CAPPED = new TierLimits("capped", 1_000, 1_000, 1_000_000);
  private static final RateLimitConfig CONFIG = RateLimitConfig.of(RateLimitConfig.DEFAULT_CARRIER_DAY_ZONE,
      SMALL, SLOW, CAPPED, TierLimits.LOW_VOLUME);

  private final MutableClock clock = new MutableClock(THANKSGIVING_MORNING);
  private final List<Redis> clients = new ArrayList<>();
  private Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
  }

  @AfterEach
  void closeClients() throws TimeoutException {
    for (Redis redis : clients) {
      redis.close().await(5, SECONDS);
    }
  }

  @Test
  void twoReplicasWith64ConcurrentSendersNeverOvershootTheDailyCap() throws TimeoutException {
    SegmentLimiter replicaA = limiter(newClient());
    SegmentLimiter replicaB = limiter(newClient());
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();

    // 64 senders, half on each replica, each sending 25 one-segment messages back to back: 1,600 attempts.
    List<Future<Void>> senders = new ArrayList<>();
    for (int sender = 0; sender < 64; sender++) {
      senders.add(send(sender % 2 == 0 ? replicaA : replicaB, 25, accepted, rejected));
    }
    Future.all(senders).await(20, SECONDS);

    assertThat(accepted).hasValue(1_000);
    assertThat(rejected).hasValue(600);
    assertThat(usage(replicaA, "concurrent", CAPPED).budgets().dailyTotal().used()).isEqualTo(1_000);
  }

  @Test
  void aRejectedChargeLeavesEveryBudgetUntouched() throws TimeoutException {
    SegmentLimiter limiter = limiter(newClient());
    assertThat(charge(limiter, "partial", SMALL, Carrier.TMOBILE, 8)).isInstanceOf(LimitDecision.Allowed.class);

    // T-Mobile has 2 left, the total 92: the T-Mobile budget refuses, so the total must not be charged either.
    LimitDecision decision = charge(limiter, "partial", SMALL, Carrier.TMOBILE, 5);

    assertThat(decision).isInstanceOfSatisfying(LimitDecision.Rejected.class, rejected -> {
      assertThat(rejected.limit()).isEqualTo(SegmentLimit.DAILY_TMOBILE);
      assertThat(rejected.retryAt()).isEqualTo(Instant.parse("2026-11-27T08:00:00Z"));
      assertThat(rejected.budgets().of(rejected.limit()).remaining()).isEqualTo(2);
    });
    SegmentBudgets budgets = usage(limiter, "partial", SMALL).budgets();
    assertThat(budgets.perSecond().used()).isEqualTo(8);
    assertThat(budgets.dailyTotal().used()).isEqualTo(8);
    assertThat(budgets.dailyTmobile().used()).isEqualTo(8);
    assertThat(budgets.dailyTmobile().remaining()).isEqualTo(2);
  }

  @Test
  void onlyTmobileRecipientsChargeTheTmobileBudget() throws TimeoutException {
    SegmentLimiter limiter = limiter(newClient());

    charge(limiter, "carriers", SMALL, Carrier.TMOBILE, 3);
    charge(limiter, "carriers", SMALL, Carrier.OTHER, 20);
    LimitDecision decision = charge(limiter, "carriers", SMALL, Carrier.UNKNOWN, 40);

    assertThat(decision).isInstanceOf(LimitDecision.Allowed.class);
    assertThat(decision.budgets().dailyTotal()).isEqualTo(new LimitUsage(100, 63));
    assertThat(decision.budgets().dailyTmobile()).isEqualTo(new LimitUsage(10, 3));
  }

  @Test
  void thePerSecondBudgetRefusesUntilTheNextSecond() throws TimeoutException {
    SegmentLimiter limiter = limiter(newClient());
    assertThat(charge(limiter, "burst", SLOW, Carrier.OTHER, 10)).isInstanceOf(LimitDecision.Allowed.class);

    LimitDecision decision = charge(limiter, "burst", SLOW, Carrier.OTHER, 3);

    assertThat(decision).isInstanceOfSatisfying(LimitDecision.Rejected.class, rejected -> {
      assertThat(rejected.limit()).isEqualTo(SegmentLimit.PER_SECOND);
      assertThat(rejected.retryAt()).isEqualTo(Instant.parse("2026-11-26T18:00:01Z"));
      assertThat(rejected.budgets().perSecond()).isEqualTo(new LimitUsage(12, 10));
    });
    clock.set(Instant.parse("2026-11-26T18:00:01Z"));
    assertThat(charge(limiter, "burst", SLOW, Carrier.OTHER, 3)).isInstanceOf(LimitDecision.Allowed.class);
    assertThat(usage(limiter, "burst", SLOW).budgets().dailyTotal().used()).isEqualTo(13);
  }

  @Test
  void aMessageLargerThanThePerSecondBudgetGoesAloneInAnEmptySecond() throws TimeoutException {
    SegmentLimiter limiter = limiter(newClient());

    assertThat(charge(limiter, "long", SLOW, Carrier.OTHER, 24)).isInstanceOf(LimitDecision.Allowed.class);
    assertThat(charge(limiter, "long", SLOW, Carrier.OTHER, 1)).isInstanceOfSatisfying(LimitDecision.Rejected.class,
        rejected -> assertThat(rejected.limit()).isEqualTo(SegmentLimit.PER_SECOND));
  }

  /** The carriers' day ends at midnight in Los Angeles: PST, PDT, and the 23- and 25-hour days in between. */
  @ParameterizedTest(name = "day {0} ends at {2}")
  @CsvSource({
      // carrier day, one hour before its last second, its end (next LA midnight), next day
      "2026-11-26, 2026-11-27T06:59:59Z, 2026-11-27T08:00:00Z, 2026-11-27",
      "2026-07-04, 2026-07-05T05:59:59Z, 2026-07-05T07:00:00Z, 2026-07-05",
      "2026-03-08, 2026-03-09T05:59:59Z, 2026-03-09T07:00:00Z, 2026-03-09", // spring forward: 23 hours
      "2026-11-01, 2026-11-02T06:59:59Z, 2026-11-02T08:00:00Z, 2026-11-02", // fall back: 25 hours
  })
  void theDailyBudgetStartsOverAtLosAngelesMidnight(LocalDate day, Instant hourBeforeEnd, Instant end,
      LocalDate nextDay) throws TimeoutException {
    SegmentLimiter limiter = limiter(newClient());
    String brand = "rollover-" + day;
    clock.set(hourBeforeEnd);
    assertThat(charge(limiter, brand, SMALL, Carrier.OTHER, 100)).isInstanceOf(LimitDecision.Allowed.class);

    clock.set(end.minusSeconds(1));
    LimitDecision lastSecond = charge(limiter, brand, SMALL, Carrier.OTHER, 1);
    assertThat(lastSecond).isInstanceOfSatisfying(LimitDecision.Rejected.class, rejected -> {
      assertThat(rejected.limit()).isEqualTo(SegmentLimit.DAILY_TOTAL);
      assertThat(rejected.retryAt()).isEqualTo(end);
    });
    assertThat(usage(limiter, brand, SMALL).carrierDay()).isEqualTo(day);

    clock.set(end);
    assertThat(charge(limiter, brand, SMALL, Carrier.OTHER, 100)).isInstanceOf(LimitDecision.Allowed.class);
    BrandUsage nextDayUsage = usage(limiter, brand, SMALL);
    assertThat(nextDayUsage.carrierDay()).isEqualTo(nextDay);
    assertThat(nextDayUsage.budgets().dailyTotal()).isEqualTo(new LimitUsage(100, 100));
  }

  @Test
  void aRefundRestoresTheBudgetButNeverBelowZero() throws TimeoutException {
    SegmentLimiter limiter = limiter(newClient());
    charge(limiter, "refund", SMALL, Carrier.TMOBILE, 10);
    assertThat(charge(limiter, "refund", SMALL, Carrier.TMOBILE, 1)).isInstanceOf(LimitDecision.Rejected.class);

    limiter.refund("refund", SMALL.name(), Carrier.TMOBILE, 4, THANKSGIVING_MORNING).await(5, SECONDS);

    assertThat(usage(limiter, "refund", SMALL).budgets().dailyTmobile()).isEqualTo(new LimitUsage(10, 6));
    assertThat(charge(limiter, "refund", SMALL, Carrier.TMOBILE, 4)).isInstanceOf(LimitDecision.Allowed.class);

    limiter.refund("refund", SMALL.name(), Carrier.TMOBILE, 50, THANKSGIVING_MORNING).await(5, SECONDS);

    SegmentBudgets budgets = usage(limiter, "refund", SMALL).budgets();
    assertThat(budgets.dailyTotal().used()).isZero();
    assertThat(budgets.dailyTmobile().used()).isZero();
  }

  @Test
  void aRefundGoesToTheDayTheSegmentsWereChargedOn() throws TimeoutException {
    SegmentLimiter limiter = limiter(newClient());
    Instant lateEvening = Instant.parse("2026-11-27T07:59:30Z"); // 23:59:30 on 2026-11-26 in Los Angeles
    clock.set(lateEvening);
    charge(limiter, "late", SMALL, Carrier.OTHER, 10);
    clock.set(Instant.parse("2026-11-27T08:00:30Z"));
    charge(limiter, "late", SMALL, Carrier.OTHER, 3);

    limiter.refund("late", SMALL.name(), Carrier.OTHER, 6, lateEvening).await(5, SECONDS);

    assertThat(usage(limiter, "late", SMALL).budgets().dailyTotal().used()).isEqualTo(3);
    clock.set(lateEvening);
    assertThat(usage(limiter, "late", SMALL).budgets().dailyTotal().used()).isEqualTo(4);
  }

  @Test
  void keysShareTheBrandHashTagAndExpire() throws TimeoutException {
    Redis redis = newClient();
    SegmentLimiter limiter = limiter(redis);
    clock.set(Instant.parse("2026-11-27T07:59:59Z")); // one second before the end of 2026-11-26

    charge(limiter, "ttl", SMALL, Carrier.TMOBILE, 1);

    // Day keys: 1 s left in the day + 6 h slack (rounded up by one second); the second key: 5 s.
    for (String suffix : List.of(":day:2026-11-26:total", ":day:2026-11-26:tmo")) {
      assertThat(ttl(redis, PREFIX + "{brand:ttl}" + suffix)).isBetween(21_600L, 21_602L);
    }
    assertThat(ttl(redis, PREFIX + "{brand:ttl}:sec:" + clock.instant().getEpochSecond())).isBetween(1L, 5L);
  }

  @Test
  void recoversWhenRedisHasForgottenTheScript() throws TimeoutException {
    Redis redis = newClient();
    SegmentLimiter limiter = limiter(redis);
    charge(limiter, "flush", SMALL, Carrier.OTHER, 2);

    redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")).await(5, SECONDS);

    assertThat(charge(limiter, "flush", SMALL, Carrier.OTHER, 3)).isInstanceOf(LimitDecision.Allowed.class);
    assertThat(usage(limiter, "flush", SMALL).budgets().dailyTotal().used()).isEqualTo(5);
  }

  @Test
  void anUnknownTierFails() {
    SegmentLimiter limiter = limiter(newClient());

    assertThatThrownBy(() -> limiter.tryCharge("x", "platinum", Carrier.OTHER, 1).await(5, SECONDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("platinum");
  }

  @Test
  void theDefaultTiersAreTheCarriersPublishedLimits() {
    RateLimitConfig defaults = RateLimitConfig.defaults();

    assertThat(defaults.tier("low_volume")).isEqualTo(new TierLimits("low_volume", 6_000, 2_000, 12));
    assertThat(defaults.tier("standard")).isEqualTo(new TierLimits("standard", 400_000, 200_000, 75));
    assertThat(defaults.carrierDayZone().getId()).isEqualTo("America/Los_Angeles");
  }

  private Future<Void> send(SegmentLimiter limiter, int remaining, AtomicInteger accepted, AtomicInteger rejected) {
    if (remaining == 0) {
      return Future.succeededFuture();
    }
    return limiter.tryCharge("concurrent", CAPPED.name(), Carrier.OTHER, 1).compose(decision -> {
      (decision instanceof LimitDecision.Allowed ? accepted : rejected).incrementAndGet();
      return send(limiter, remaining - 1, accepted, rejected);
    });
  }

  private static LimitDecision charge(SegmentLimiter limiter, String brand, TierLimits tier, Carrier carrier,
      int segments) throws TimeoutException {
    return limiter.tryCharge(brand, tier.name(), carrier, segments).await(5, SECONDS);
  }

  private static BrandUsage usage(SegmentLimiter limiter, String brand, TierLimits tier) throws TimeoutException {
    return limiter.usage(brand, tier.name()).await(5, SECONDS);
  }

  private static long ttl(Redis redis, String key) throws TimeoutException {
    return redis.send(Request.cmd(Command.TTL).arg(key)).await(5, SECONDS).toLong();
  }

  private SegmentLimiter limiter(Redis redis) {
    return new SegmentLimiter(redis, PREFIX, CONFIG, clock);
  }

  /** Each client is its own connection pool, like a separate gateway replica. */
  private Redis newClient() {
    Redis redis = Redis.createClient(vertx, new RedisOptions()
        .setConnectionString(TestServices.redisUrl())
        .setMaxPoolSize(8)
        .setMaxPoolWaiting(256));
    clients.add(redis);
    return redis;
  }
}
