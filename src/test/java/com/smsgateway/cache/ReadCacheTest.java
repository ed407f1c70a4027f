package com.smsgateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Await;
import com.smsgateway.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadCacheTest {
  private final ManualClock clock = new ManualClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicInteger reads = new AtomicInteger();

  @Test
  void answersFromMemoryWithinTheTtlAndReadsAgainAfterIt() {
    ReadCache<String, String> cache = cache(Duration.ofSeconds(2), 10);

    assertThat(get(cache, "a")).isEqualTo("a#1");
    clock.advance(Duration.ofMillis(1999));
    assertThat(get(cache, "a")).isEqualTo("a#1");
    clock.advance(Duration.ofMillis(1));
    assertThat(get(cache, "a")).isEqualTo("a#2");
    assertThat(reads).hasValue(2);
    assertThat(count("hit")).isEqualTo(1);
    assertThat(count("miss")).isEqualTo(2);
  }

  @Test
  void aClockThatGoesBackExpiresTheEntryInsteadOfStretchingIt() {
    ReadCache<String, String> cache = cache(Duration.ofSeconds(2), 10);
    get(cache, "a");

    clock.advance(Duration.ofSeconds(-60));

    assertThat(get(cache, "a")).isEqualTo("a#2");
  }

  @Test
  void keepsAtMostMaxEntriesDroppingTheLeastRecentlyUsed() {
    ReadCache<String, String> cache = cache(Duration.ofMinutes(1), 2);
    get(cache, "a");
    get(cache, "b");
    get(cache, "a");

    get(cache, "c");

    assertThat(cache.size()).isEqualTo(2);
    assertThat(registry.get("gateway.cache.entries").tag("cache", "test").gauge().value()).isEqualTo(2);
    assertThat(get(cache, "a")).as("recently used, kept").isEqualTo("a#1");
    assertThat(get(cache, "b")).as("least recently used, dropped").isEqualTo("b#4");
  }

  @Test
  void concurrentMissesForOneKeyShareOneRead() {
    ReadCache<String, String> cache = cache(Duration.ofSeconds(2), 10);
    List<Promise<String>> pending = new ArrayList<>();

    Future<String> first = cache.get("a", () -> pendingRead(pending));
    Future<String> second = cache.get("a", () -> pendingRead(pending));
    pending.getFirst().complete("value");

    assertThat(pending).hasSize(1);
    assertThat(Await.result(first)).isEqualTo("value");
    assertThat(Await.result(second)).isEqualTo("value");
    assertThat(count("miss")).isEqualTo(1);
    assertThat(count("hit")).isEqualTo(1);
  }

  @Test
  void aFailedReadFailsItsCallersAndIsNotKept() {
    ReadCache<String, String> cache = cache(Duration.ofSeconds(2), 10);
    List<Promise<String>> pending = new ArrayList<>();
    Future<String> first = cache.get("a", () -> pendingRead(pending));
    Future<String> joined = cache.get("a", () -> pendingRead(pending));

    pending.getFirst().fail("connection reset");

    assertThat(first.failed()).isTrue();
    assertThat(joined.failed()).isTrue();
    assertThat(cache.size()).isZero();
    assertThat(get(cache, "a")).isEqualTo("a#1");
    assertThat(count("load_failure")).isEqualTo(1);
  }

  @Test
  void aReadThatThrowsIsAFailedReadToo() {
    ReadCache<String, String> cache = cache(Duration.ofSeconds(2), 10);

    Future<String> thrown = cache.get("a", () -> {
      throw new IllegalStateException("pool closed");
    });

    assertThat(thrown.failed()).isTrue();
    assertThat(get(cache, "a")).isEqualTo("a#1");
    assertThat(count("load_failure")).isEqualTo(1);
  }

  @Test
  void anInvalidatedKeyIsReadAgain() {
    ReadCache<String, String> cache = cache(Duration.ofMinutes(1), 10);
    get(cache, "a");

    cache.invalidate("a");

    assertThat(get(cache, "a")).isEqualTo("a#2");
  }

  @Test
  void aReadInFlightWhenTheKeyIsInvalidatedAnswersItsCallerButIsNotKept() {
    ReadCache<String, String> cache = cache(Duration.ofMinutes(1), 10);
    List<Promise<String>> pending = new ArrayList<>();
    Future<String> before = cache.get("a", () -> pendingRead(pending));

    cache.invalidate("a");
    pending.getFirst().complete("stale");

    assertThat(Await.result(before)).isEqualTo("stale");
    assertThat(get(cache, "a")).isEqualTo("a#1");
  }

  @Test
  void aZeroTtlReadsEveryTime() {
    ReadCache<String, String> cache = cache(Duration.ZERO, 10);

    get(cache, "a");
    get(cache, "a");

    assertThat(reads).hasValue(2);
    assertThat(cache.size()).isZero();
    assertThat(count("miss")).isEqualTo(2);
  }

  @Test
  void aCallerJoiningAReadStartedOnAnotherContextContinuesOnItsOwn() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ReadCache<String, String> cache = cache(Duration.ofSeconds(2), 10);
      Context reader = vertx.getOrCreateContext();
      Context joiner = vertx.getOrCreateContext();
      Promise<String> read = Promise.promise();
      CompletableFuture<Context> answeredOn = new CompletableFuture<>();
      CompletableFuture<Void> started = new CompletableFuture<>();
      CompletableFuture<Void> joined = new CompletableFuture<>();

      reader.runOnContext(v -> {
        cache.get("a", read::future);
        started.complete(null);
      });
      started.get(10, TimeUnit.SECONDS);
      joiner.runOnContext(v -> {
        cache.get("a", () -> Future.failedFuture("a second read")).onSuccess(value -> answeredOn.complete(Vertx.currentContext()));
        joined.complete(null);
      });
      joined.get(10, TimeUnit.SECONDS);
      reader.runOnContext(v -> read.complete("value"));

      assertThat(answeredOn.get(10, TimeUnit.SECONDS)).isSameAs(joiner);
    } finally {
      vertx.close().await();
    }
  }

  private ReadCache<String, String> cache(Duration ttl, int maxEntries) {
    return new ReadCache<>("test", ttl, maxEntries, clock, registry);
  }

  /** Reads {@code key} through the cache; a read answers the key and the number of reads so far. */
  private String get(ReadCache<String, String> cache, String key) {
    return Await.result(cache.get(key, () -> Future.succeededFuture(key + "#" + reads.incrementAndGet())));
  }

  private static Future<String> pendingRead(List<Promise<String>> pending) {
    Promise<String> read = Promise.promise();
    pending.add(read);
    return read.future();
  }

  private double count(String result) {
    return registry.get("gateway.cache.reads").tag("cache", "test").tag("result", result).counter().count();
  }
}
