package com.smsgateway.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A small read-through cache in front of a slow lookup (a PostgreSQL read): at most {@code maxEntries} entries (the
 * least recently used goes first), each answered for {@code ttl} after its read started, so a value is never older than
 * {@code ttl}; a zero {@code ttl} reads every time. Concurrent misses for one key share one read (single flight). A
 * failed read is not kept: the next call reads again. Whatever the read answers is kept, an "absent" result included,
 * so a caller that must not see an absent result for long (a row just inserted) {@link #invalidate}s the key.
 *
 * <p>One instance per replica, shared by every event loop, rather than one per verticle: an invalidation (a revoked API
 * key) must reach every event loop at once, and N copies would read the source N times per TTL. It is a
 * {@link LinkedHashMap} in access order under a lock rather than a {@code ConcurrentHashMap}, because LRU eviction
 * needs the access order; the lock is held only for O(1) map operations, never across a read or a callback. A caller
 * that joins a read another event loop started gets its answer on its own Vert.x context, not on the reader's.
 *
 * <p>Metrics: {@code gateway.cache.reads{cache,result}}, one per {@link #get}: {@code hit} (answered without a read of
 * its own, a read in flight joined included), {@code miss} (read the source), {@code load_failure} (its read failed);
 * {@code gateway.cache.entries{cache}}.
 */
public final class ReadCache<K, V> {
  private record Kept<V>(Future<V> value, long readStartedAt) {}

  private final long ttlMillis;
  private final Clock clock;
  private final Map<K, Kept<V>> entries;
  private final Counter hits;
  private final Counter misses;
  private final Counter loadFailures;

  public ReadCache(String name, Duration ttl, int maxEntries, Clock clock, MeterRegistry registry) {
    if (ttl.isNegative() || maxEntries < 1) {
      throw new IllegalArgumentException("ttl must not be negative and maxEntries at least 1");
    }
    this.ttlMillis = ttl.toMillis();
    this.clock = clock;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Kept<V>> eldest) {
        return size() > maxEntries;
      }
    };
    this.hits = reads(name, "hit", registry);
    this.misses = reads(name, "miss", registry);
    this.loadFailures = reads(name, "load_failure", registry);
    Gauge.builder("gateway.cache.entries", this, ReadCache::size)
        .description("Entries a read cache holds (fresh or expired, at most its max entries)")
        .tag("cache", name)
        .register(registry);
  }

  private static Counter reads(String name, String result, MeterRegistry registry) {
    return Counter.builder("gateway.cache.reads")
        .description("Reads of a cache: hit (no read of the source of its own), miss (read the source), load_failure (that read failed)")
        .tag("cache", name)
        .tag("result", result)
        .register(registry);
  }

  /** The value for {@code key}: kept, in flight, or read now with {@code read} (called at most once, never under the lock). */
  public Future<V> get(K key, Supplier<Future<V>> read) {
    if (ttlMillis == 0) {
      return counted(read);
    }
    long now = clock.millis();
    Promise<V> mine;
    Kept<V> entry;
    synchronized (entries) {
      Kept<V> kept = entries.get(key);
      if (kept != null && (!kept.value().isComplete() || fresh(kept, now))) {
        hits.increment();
        return onCallersContext(kept.value());
      }
      mine = Promise.promise();
      entry = new Kept<>(mine.future(), now);
      entries.put(key, entry);
    }
    counted(read).onComplete(result -> {
      if (result.failed()) {
        synchronized (entries) {
          entries.remove(key, entry);
        }
      }
      mine.handle(result);
    });
    return onCallersContext(mine.future());
  }

  /** Forgets {@code key}: the next {@link #get} reads the source; a read in flight still answers its callers but is not kept. */
  public void invalidate(K key) {
    synchronized (entries) {
      entries.remove(key);
    }
  }

  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  /** A clock that went back (a wall-clock step) expires the entry rather than stretching its life past the TTL. */
  private boolean fresh(Kept<V> entry, long now) {
    return now >= entry.readStartedAt() && now - entry.readStartedAt() < ttlMillis;
  }

  private Future<V> counted(Supplier<Future<V>> read) {
    Future<V> result;
    try {
      result = read.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.andThen(done -> (done.succeeded() ? misses : loadFailures).increment());
  }

  /**
   * A pending read completes on the context of whoever started it; a caller on another event loop (or another
   * request's context on the same one) must continue on its own, where its request and its request id live.
   */
  private static <V> Future<V> onCallersContext(Future<V> shared) {
    Context caller = Vertx.currentContext();
    if (caller == null || shared.isComplete()) {
      return shared;
    }
    Promise<V> answer = Promise.promise();
    shared.onComplete(result -> deliver(caller, answer, result));
    return answer.future();
  }

  private static <V> void deliver(Context caller, Promise<V> answer, AsyncResult<V> result) {
    if (Vertx.currentContext() == caller) {
      answer.handle(result);
    } else {
      caller.runOnContext(v -> answer.handle(result));
    }
  }
}
