package com.smsgateway.ratelimit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.smsgateway.testing.ManualClock;
import com.smsgateway.testing.RedisTest;
import com.smsgateway.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Against a real Redis; every test uses its own brand, and the class its own key prefix. */
@RedisTest
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

  private static final Duration CARRIER_CACHE_TTL = Duration.ofDays(30);

  private final ManualClock clock = new ManualClock(THANKSGIVING_MORNING);
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
    assertThat(charge(limiter, "partial", SMALL, CarrierGroup.TMOBILE, 8)).isInstanceOf(LimitDecision.Allowed.class);

    // T-Mobile has 2 left, the total 92: the T-Mobile budget refuses, so the total must not be charged either.
    LimitDecision decision = charge(limiter, "partial", SMALL, CarrierGroup.TMOBILE, 5);

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

    charge(limiter, "carriers", SMALL, CarrierGroup.TMOBILE, 3);
    charge(limiter, "carriers", SMALL, CarrierGroup.OTHER, 20);
    LimitDecision decision = charge(limiter, "carriers", SMALL, CarrierGroup.UNKNOWN, 40);

    assertThat(decision).isInstanceOf(LimitDecision.Allowed.class);
    assertThat(decision.budgets().dailyTotal()).isEqualTo(new LimitUsage(100, 63));
    assertThat(decision.budgets().dailyTmobile()).isEqualTo(new LimitUsage(10, 3));
  }

  @Test
  void thePerSecondBudgetRefusesUntilTheNextSecond() throws TimeoutException {
    SegmentLimiter limiter = limiter(newClient());
    assertThat(charge(limiter, "burst", SLOW, CarrierGroup.OTHER, 10)).isInstanceOf(LimitDecision.Allowed.class);

    LimitDecision decision = charge(limiter, "burst", SLOW, CarrierGroup.OTHER, 3);

    assertThat(decision).isInstanceOfSatisfying(LimitDecision.Rejected.class, rejected -> {
      assertThat(rejected.limit()).isEqualTo(SegmentLimit.PER_SECOND);
      assertThat(rejected.retryAt()).isEqualTo(Instant.parse("2026-11-26T18:00:01Z"));
      assertThat(rejected.budgets().perSecond()).isEqualTo(new LimitUsage(12, 10));
    });
    clock.set(Instant.parse("2026-11-26T18:00:01Z"));
    assertThat(charge(limiter, "burst", SLOW, CarrierGroup.OTHER, 3)).isInstanceOf(LimitDecision.Allowed.class);
    assertThat(usage(limiter, "burst", SLOW).budgets().dailyTotal().used()).isEqualTo(13);
  }

  @Test
  void aMessageLargerThanThePerSecondBudgetGoesAloneInAnEmptySecond() throws TimeoutException {
    SegmentLimiter limiter = limiter(newClient());

    assertThat(charge(limiter, "long", SLOW, CarrierGroup.OTHER, 24)).isInstanceOf(LimitDecision.Allowed.class);
    assertThat(charge(limiter, "long", SLOW, CarrierGroup.OTHER, 1)).isInstanceOfSatisfying(LimitDecision.Rejected.class,
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
    assertThat(charge(limiter, brand, SMALL, CarrierGroup.OTHER, 100)).isInstanceOf(LimitDecision.Allowed.class);

    clock.set(end.minusSeconds(1));
    LimitDecision lastSecond = charge(limiter, brand, SMALL, CarrierGroup.OTHER, 1);
    assertThat(lastSecond).isInstanceOfSatisfying(LimitDecision.Rejected.class, rejected -> {
      assertThat(rejected.limit()).isEqualTo(SegmentLimit.DAILY_TOTAL);
      assertThat(rejected.retryAt()).isEqualTo(end);
    });
    assertThat(usage(limiter, brand, SMALL).carrierDay()).isEqualTo(day);

    clock.set(end);
    assertThat(charge(limiter, brand, SMALL, CarrierGroup.OTHER, 100)).isInstanceOf(LimitDecision.Allowed.class);
    BrandUsage nextDayUsage = usage(limiter, brand, SMALL);
    assertThat(nextDayUsage.carrierDay()).isEqualTo(nextDay);
    assertThat(nextDayUsage.budgets().dailyTotal()).isEqualTo(new LimitUsage(100, 100));
  }

  @Test
  void aRefundRestoresTheBudgetButNeverBelowZero() throws TimeoutException {
    SegmentLimiter limiter = limiter(newClient());
    charge(limiter, "refund", SMALL, CarrierGroup.TMOBILE, 10);
    assertThat(charge(limiter, "refund", SMALL, CarrierGroup.TMOBILE, 1)).isInstanceOf(LimitDecision.Rejected.class);

    limiter.refund("refund", SMALL.name(), CarrierGroup.TMOBILE, 4, THANKSGIVING_MORNING).await(5, SECONDS);

    assertThat(usage(limiter, "refund", SMALL).budgets().dailyTmobile()).isEqualTo(new LimitUsage(10, 6));
    assertThat(charge(limiter, "refund", SMALL, CarrierGroup.TMOBILE, 4)).isInstanceOf(LimitDecision.Allowed.class);

    limiter.refund("refund", SMALL.name(), CarrierGroup.TMOBILE, 50, THANKSGIVING_MORNING).await(5, SECONDS);

    SegmentBudgets budgets = usage(limiter, "refund", SMALL).budgets();
    assertThat(budgets.dailyTotal().used()).isZero();
    assertThat(budgets.dailyTmobile().used()).isZero();
  }

  @Test
  void aRefundGoesToTheDayTheSegmentsWereChargedOn() throws TimeoutException {
    SegmentLimiter limiter = limiter(newClient());
    Instant lateEvening = Instant.parse("2026-11-27T07:59:30Z"); // 23:59:30 on 2026-11-26 in Los Angeles
    clock.set(lateEvening);
    charge(limiter, "late", SMALL, CarrierGroup.OTHER, 10);
    clock.set(Instant.parse("2026-11-27T08:00:30Z"));
    charge(limiter, "late", SMALL, CarrierGroup.OTHER, 3);

    limiter.refund("late", SMALL.name(), CarrierGroup.OTHER, 6, lateEvening).await(5, SECONDS);

    assertThat(usage(limiter, "late", SMALL).budgets().dailyTotal().used()).isEqualTo(3);
    clock.set(lateEvening);
    assertThat(usage(limiter, "late", SMALL).budgets().dailyTotal().used()).isEqualTo(4);
  }

  @Test
  void anAllowedChargeNamesTheInstantWhoseDayItCharged() throws TimeoutException {
    SegmentLimiter limiter = limiter(newClient());
    Instant lastSecondOfTheDay = Instant.parse("2026-11-27T07:59:59.900Z"); // 23:59:59.9 in Los Angeles
    clock.set(lastSecondOfTheDay);

    LimitDecision decision = charge(limiter, "midnight", SMALL, CarrierGroup.OTHER, 5);
    clock.set(Instant.parse("2026-11-27T08:00:00.100Z"));
    limiter.refund("midnight", SMALL.name(), CarrierGroup.OTHER, 5, ((LimitDecision.Allowed) decision).chargedAt()).await(5, SECONDS);

    assertThat(((LimitDecision.Allowed) decision).chargedAt()).isEqualTo(lastSecondOfTheDay);
    clock.set(lastSecondOfTheDay);
    assertThat(usage(limiter, "midnight", SMALL).budgets().dailyTotal().used()).isZero();
  }

  @Test
  void keysShareTheBrandHashTagAndExpire() throws TimeoutException {
    Redis redis = newClient();
    SegmentLimiter limiter = limiter(redis);
    clock.set(Instant.parse("2026-11-27T07:59:59Z")); // one second before the end of 2026-11-26

    charge(limiter, "ttl", SMALL, CarrierGroup.TMOBILE, 1);

    // Day keys: 1 s left in the day + 6 h slack (rounded up by one second); the second key: 5 s.
    for (String suffix : List.of(":day:2026-11-26:total", ":day:2026-11-26:tmo")) {
      assertThat(ttl(redis, PREFIX + "{brand:ttl}" + suffix)).isBetween(21_600L, 21_602L);
    }
    assertThat(ttl(redis, PREFIX + "{brand:ttl}:sec:" + clock.instant().getEpochSecond())).isBetween(1L, 5L);
    String carrierKey = PREFIX + "{brand:ttl}:carrier:" + recipientOn(CarrierGroup.TMOBILE);
    assertThat(redis.send(Request.cmd(Command.GET).arg(carrierKey)).await(5, SECONDS).toString()).isEqualTo("tmobile");
    assertThat(ttl(redis, carrierKey)).isBetween(CARRIER_CACHE_TTL.toSeconds() - 5, CARRIER_CACHE_TTL.toSeconds());
  }

  @Test
  void aCachedCarrierIsChargedInOneRoundTripWithoutALookup() throws TimeoutException {
    RecordingRedis redis = new RecordingRedis(newClient());
    SegmentLimiter limiter = limiter(redis);
    AtomicInteger lookups = new AtomicInteger();
    String recipient = "+14155550200";

    LimitDecision first = limiter.tryCharge("cache", SMALL.name(), recipient, 2, countedLookup(CarrierGroup.TMOBILE, lookups))
        .await(5, SECONDS);
    assertThat(lookups).as("a recipient the brand has not texted is looked up").hasValue(1);
    assertThat(redis.roundTrips()).as("one run to learn the carrier is needed, one to charge").containsExactly(
        Command.EVALSHA, Command.EVALSHA);
    assertThat(first).isInstanceOfSatisfying(LimitDecision.Allowed.class, allowed -> {
      assertThat(allowed.carrier()).isEqualTo(CarrierGroup.TMOBILE);
      assertThat(allowed.carrierCached()).isFalse();
    });

    redis.clear();
    LimitDecision second = limiter.tryCharge("cache", SMALL.name(), recipient, 3, countedLookup(CarrierGroup.OTHER, lookups))
        .await(5, SECONDS);

    assertThat(lookups).as("the cached carrier is used").hasValue(1);
    assertThat(redis.roundTrips()).containsExactly(Command.EVALSHA);
    assertThat(second).isInstanceOfSatisfying(LimitDecision.Allowed.class, allowed -> {
      assertThat(allowed.carrier()).isEqualTo(CarrierGroup.TMOBILE);
      assertThat(allowed.carrierCached()).isTrue();
      assertThat(allowed.budgets().dailyTmobile()).isEqualTo(new LimitUsage(10, 5));
    });
  }

  @Test
  void theCachedCarrierDecidesWhetherTheTmobileBudgetIsCharged() throws TimeoutException {
    SegmentLimiter limiter = limiter(newClient());
    AtomicInteger lookups = new AtomicInteger();
    limiter.tryCharge("cached-carriers", SMALL.name(), "+14155550300", 1, on(CarrierGroup.TMOBILE)).await(5, SECONDS);
    limiter.tryCharge("cached-carriers", SMALL.name(), "+14155550301", 1, on(CarrierGroup.OTHER)).await(5, SECONDS);

    LimitDecision toTmobile = limiter.tryCharge("cached-carriers", SMALL.name(), "+14155550300", 4,
        countedLookup(CarrierGroup.OTHER, lookups)).await(5, SECONDS);
    LimitDecision toOther = limiter.tryCharge("cached-carriers", SMALL.name(), "+14155550301", 6,
        countedLookup(CarrierGroup.TMOBILE, lookups)).await(5, SECONDS);

    assertThat(lookups).hasValue(0);
    assertThat(toTmobile.carrier()).isEqualTo(CarrierGroup.TMOBILE);
    assertThat(toOther.carrier()).isEqualTo(CarrierGroup.OTHER);
    assertThat(toOther.budgets().dailyTotal()).isEqualTo(new LimitUsage(100, 12));
    assertThat(toOther.budgets().dailyTmobile()).isEqualTo(new LimitUsage(10, 5));
  }

  @Test
  void theCarrierIsCachedEvenWhenTheChargeIsRejected() throws TimeoutException {
    SegmentLimiter limiter = limiter(newClient());
    AtomicInteger lookups = new AtomicInteger();
    String recipient = "+14155550400";

    LimitDecision tooMany = limiter.tryCharge("cache-rejected", SMALL.name(), recipient, 11,
        countedLookup(CarrierGroup.TMOBILE, lookups)).await(5, SECONDS);
    LimitDecision fits = limiter.tryCharge("cache-rejected", SMALL.name(), recipient, 10,
        countedLookup(CarrierGroup.TMOBILE, lookups)).await(5, SECONDS);

    assertThat(tooMany).isInstanceOfSatisfying(LimitDecision.Rejected.class,
        rejected -> assertThat(rejected.limit()).isEqualTo(SegmentLimit.DAILY_TMOBILE));
    assertThat(lookups).hasValue(1);
    assertThat(fits).isInstanceOf(LimitDecision.Allowed.class);
    assertThat(fits.carrierCached()).isTrue();
    assertThat(fits.budgets().dailyTmobile()).isEqualTo(new LimitUsage(10, 10));
  }

  @Test
  void anUnknownCarrierChargesTheTotalOnlyAndIsLookedUpAgainNextTime() throws TimeoutException {
    SegmentLimiter limiter = limiter(newClient());
    AtomicInteger lookups = new AtomicInteger();
    String recipient = "+14155550500";

    LimitDecision failed = limiter.tryCharge("unknown", SMALL.name(), recipient, 2,
        countedLookup(CarrierGroup.UNKNOWN, lookups)).await(5, SECONDS);
    LimitDecision learned = limiter.tryCharge("unknown", SMALL.name(), recipient, 3,
        countedLookup(CarrierGroup.TMOBILE, lookups)).await(5, SECONDS);

    assertThat(failed.carrier()).isEqualTo(CarrierGroup.UNKNOWN);
    assertThat(failed.budgets().dailyTotal()).isEqualTo(new LimitUsage(100, 2));
    assertThat(failed.budgets().dailyTmobile()).isEqualTo(new LimitUsage(10, 0));
    assertThat(lookups).as("an unknown carrier is not cached").hasValue(2);
    assertThat(learned.carrier()).isEqualTo(CarrierGroup.TMOBILE);
    assertThat(learned.budgets().dailyTmobile()).isEqualTo(new LimitUsage(10, 3));
  }

  @Test
  void eachBrandKeepsItsOwnCopyOfARecipientsCarrier() throws TimeoutException {
    SegmentLimiter limiter = limiter(newClient());
    AtomicInteger lookups = new AtomicInteger();
    String recipient = "+14155550600";

    limiter.tryCharge("copy-a", SMALL.name(), recipient, 1, countedLookup(CarrierGroup.OTHER, lookups)).await(5, SECONDS);
    LimitDecision otherBrand = limiter.tryCharge("copy-b", SMALL.name(), recipient, 1,
        countedLookup(CarrierGroup.OTHER, lookups)).await(5, SECONDS);

    assertThat(lookups).as("brand b's cache is in its own hash slot").hasValue(2);
    assertThat(otherBrand.carrierCached()).isFalse();
  }

  @Test
  void aBrandOverItsDailyBudgetRefusesANewRecipientWithoutALookup() throws TimeoutException {
    RecordingRedis redis = new RecordingRedis(newClient());
    SegmentLimiter limiter = limiter(redis);
    AtomicInteger lookups = new AtomicInteger();
    charge(limiter, "spent", SMALL, CarrierGroup.OTHER, 100);
    redis.clear();

    LimitDecision refused = limiter.tryCharge("spent", SMALL.name(), "+14155550700", 1, countedLookup(CarrierGroup.TMOBILE, lookups))
        .await(5, SECONDS);

    assertThat(refused).isInstanceOfSatisfying(LimitDecision.Rejected.class,
        rejected -> assertThat(rejected.limit()).isEqualTo(SegmentLimit.DAILY_TOTAL));
    assertThat(lookups).as("no paid carrier lookup for a text the brand's budget refuses anyway").hasValue(0);
    assertThat(redis.roundTrips()).containsExactly(Command.EVALSHA);
  }

  @Test
  void aBrandOverItsPerSecondBudgetRefusesANewRecipientWithoutALookup() throws TimeoutException {
    SegmentLimiter limiter = limiter(newClient());
    AtomicInteger lookups = new AtomicInteger();
    charge(limiter, "busy-second", SLOW, CarrierGroup.OTHER, 12);

    LimitDecision refused = limiter.tryCharge("busy-second", SLOW.name(), "+14155550701", 1, countedLookup(CarrierGroup.OTHER, lookups))
        .await(5, SECONDS);

    assertThat(refused).isInstanceOfSatisfying(LimitDecision.Rejected.class,
        rejected -> assertThat(rejected.limit()).isEqualTo(SegmentLimit.PER_SECOND));
    assertThat(lookups).hasValue(0);
  }

  @Test
  void eachWorkspaceMayUseOnlyItsDailyShareOfASharedBrandChargedAtomicallyAndRefundable() throws TimeoutException {
    SegmentLimiter limiter = limiter(newClient());
    Optional<WorkspaceShare> shareOfA = Optional.of(new WorkspaceShare("ws_a", 10));
    Optional<WorkspaceShare> shareOfB = Optional.of(new WorkspaceShare("ws_b", 10));
    AtomicInteger lookups = new AtomicInteger();
    String recipient = recipientOn(CarrierGroup.OTHER);

    LimitDecision first = limiter.tryCharge("pool", SMALL.name(), recipient, 8, shareOfA, on(CarrierGroup.OTHER)).await(5, SECONDS);
    LimitDecision overShare = limiter.tryCharge("pool", SMALL.name(), recipient, 3, shareOfA, on(CarrierGroup.OTHER)).await(5, SECONDS);
    LimitDecision newRecipientOverShare = limiter.tryCharge("pool", SMALL.name(), "+14155550702", 3, shareOfA,
        countedLookup(CarrierGroup.OTHER, lookups)).await(5, SECONDS);
    LimitDecision otherWorkspace = limiter.tryCharge("pool", SMALL.name(), recipient, 3, shareOfB, on(CarrierGroup.OTHER)).await(5, SECONDS);

    assertThat(first).isInstanceOf(LimitDecision.Allowed.class);
    assertThat(first.budgets().workspacePoolDaily()).contains(new LimitUsage(10, 8));
    assertThat(overShare).isInstanceOfSatisfying(LimitDecision.Rejected.class, rejected -> {
      assertThat(rejected.limit()).isEqualTo(SegmentLimit.WORKSPACE_POOL_DAILY);
      assertThat(rejected.retryAt()).isEqualTo(Instant.parse("2026-11-27T08:00:00Z"));
    });
    assertThat(newRecipientOverShare).isInstanceOf(LimitDecision.Rejected.class);
    assertThat(lookups).as("a workspace over its share pays no lookup").hasValue(0);
    assertThat(otherWorkspace).isInstanceOf(LimitDecision.Allowed.class);
    assertThat(usage(limiter, "pool", SMALL).budgets().dailyTotal().used()).as("the refused texts charged nothing").isEqualTo(11);

    limiter.refund("pool", SMALL.name(), CarrierGroup.OTHER, 8, ((LimitDecision.Allowed) first).chargedAt(), Optional.of("ws_a")).await(5, SECONDS);

    assertThat(limiter.tryCharge("pool", SMALL.name(), recipient, 10, shareOfA, on(CarrierGroup.OTHER)).await(5, SECONDS))
        .as("the refund gave the workspace's share back").isInstanceOf(LimitDecision.Allowed.class);
  }

  @Test
  void recoversWhenRedisHasForgottenTheScript() throws TimeoutException {
    Redis redis = newClient();
    SegmentLimiter limiter = limiter(redis);
    charge(limiter, "flush", SMALL, CarrierGroup.OTHER, 2);

    redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")).await(5, SECONDS);

    assertThat(charge(limiter, "flush", SMALL, CarrierGroup.OTHER, 3)).isInstanceOfSatisfying(LimitDecision.Allowed.class,
        allowed -> assertThat(allowed.carrierCached()).isTrue());
    redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")).await(5, SECONDS);
    assertThat(charge(limiter, "flush", SMALL, CarrierGroup.TMOBILE, 1)).isInstanceOfSatisfying(LimitDecision.Allowed.class,
        allowed -> assertThat(allowed.carrierCached()).isFalse());
    assertThat(usage(limiter, "flush", SMALL).budgets().dailyTotal().used()).isEqualTo(6);
  }

  @Test
  void anUnknownTierFails() {
    SegmentLimiter limiter = limiter(newClient());

    assertThatThrownBy(() -> limiter.tryCharge("x", "platinum", recipientOn(CarrierGroup.OTHER), 1, on(CarrierGroup.OTHER))
        .await(5, SECONDS))
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
    return limiter.tryCharge("concurrent", CAPPED.name(), recipientOn(CarrierGroup.OTHER), 1, on(CarrierGroup.OTHER)).compose(decision -> {
      (decision instanceof LimitDecision.Allowed ? accepted : rejected).incrementAndGet();
      return send(limiter, remaining - 1, accepted, rejected);
    });
  }

  /** Charges a text to a recipient on {@code carrier} (one recipient per carrier, so the cache agrees with it). */
  private static LimitDecision charge(SegmentLimiter limiter, String brand, TierLimits tier, CarrierGroup carrier,
      int segments) throws TimeoutException {
    return limiter.tryCharge(brand, tier.name(), recipientOn(carrier), segments, on(carrier)).await(5, SECONDS);
  }

  private static String recipientOn(CarrierGroup carrier) {
    return "+1415555010" + carrier.ordinal();
  }

  /** A carrier lookup that always answers {@code carrier}. */
  private static Function<String, Future<CarrierGroup>> on(CarrierGroup carrier) {
    return recipient -> Future.succeededFuture(carrier);
  }

  /** A carrier lookup that answers {@code carrier} and counts how often it was asked. */
  private static Function<String, Future<CarrierGroup>> countedLookup(CarrierGroup carrier, AtomicInteger asked) {
    return recipient -> {
      asked.incrementAndGet();
      return Future.succeededFuture(carrier);
    };
  }

  private static BrandUsage usage(SegmentLimiter limiter, String brand, TierLimits tier) throws TimeoutException {
    return limiter.usage(brand, tier.name()).await(5, SECONDS);
  }

  private static long ttl(Redis redis, String key) throws TimeoutException {
    return redis.send(Request.cmd(Command.TTL).arg(key)).await(5, SECONDS).toLong();
  }

  private SegmentLimiter limiter(Redis redis) {
    return new SegmentLimiter(redis, PREFIX, CONFIG, CARRIER_CACHE_TTL, clock);
  }

  /** Each client is its own connection pool, like a separate gateway replica. */
  private Redis newClient() {
    Redis redis = Redis.createClient(vertx, TestServices.redisOptions()
        .setMaxPoolSize(8)
        .setMaxPoolWaiting(256));
    clients.add(redis);
    return redis;
  }
}
