package com.smsgateway.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One purge of everything past its retention, by whichever replica holds the lease: table after table, one bounded
 * batch after another (the lease renewed between batches), counted per table. At the end the lease is held until
 * the next run is due ({@code retention.interval}), so the replicas together purge once per interval.
 */
public final class RetentionJob {
  static final String LEASE = "retention";
  private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

  private final RetentionStore store;
  private final RetentionConfig config;
  private final String owner = "replica-" + UUID.randomUUID();
  private final Map<String, Counter> purged;
  private volatile boolean stopping;

  public RetentionJob(Pool pool, RetentionConfig config, MeterRegistry registry) {
    this.store = new RetentionStore(pool);
    this.config = config;
    this.purged = Map.of(
        "messages", counter(registry, "messages"),
        "message_status_history", counter(registry, "message_status_history"),
        "call_session_deliveries", counter(registry, "call_session_deliveries"),
        "unmatched_status_callbacks", counter(registry, "unmatched_status_callbacks"),
        "carrier_lookups", counter(registry, "carrier_lookups"),
        "idempotency_keys", counter(registry, "idempotency_keys"));
  }

  /** Runs the purge if no other replica holds it and it is due; answers whether this replica ran it. */
  public Future<Boolean> runOnce() {
    return store.acquire(LEASE, owner, config.lease()).compose(acquired -> {
      if (!acquired) {
        return Future.succeededFuture(false);
      }
      int batch = config.batchSize();
      return drain(() -> store.purgeMessages(config.messages(), batch).map(this::countMessages))
          .compose(v -> drain(counted("call_session_deliveries", () -> store.purgeCallSessionDeliveries(config.callSessionDeliveries(), batch))))
          .compose(v -> drain(counted("unmatched_status_callbacks", () -> store.purgeParkedCallbacks(config.parkedCallbacks(), batch))))
          .compose(v -> drain(counted("carrier_lookups", () -> store.purgeCarrierLookups(config.carrierLookups(), batch))))
          .compose(v -> drain(counted("idempotency_keys", () -> store.purgeIdempotencyKeys(config.idempotencyKeys(), batch))))
          .compose(v -> store.hold(LEASE, owner, stopping ? Duration.ZERO : config.interval()))
          .map(true);
    });
  }

  /** Finishes the batch in flight, then ends the run (its lease runs out and another replica takes over). */
  void stop() {
    stopping = true;
  }

  /** Repeats {@code batch} (which answers the rows it removed) until one comes back short, renewing the lease between. */
  private Future<Void> drain(Supplier<Future<Integer>> batch) {
    return batch.get().compose(removed -> {
      if (removed < config.batchSize() || stopping) {
        return Future.succeededFuture();
      }
      return store.hold(LEASE, owner, config.lease()).compose(held -> {
        if (!held) {
          log.info("Retention purge: the lease passed to another replica; it continues");
          return Future.succeededFuture();
        }
        return drain(batch);
      });
    });
  }

  private Supplier<Future<Integer>> counted(String table, Supplier<Future<Integer>> batch) {
    return () -> batch.get().map(count(table));
  }

  private Function<Integer, Integer> count(String table) {
    return removed -> {
      purged.get(table).increment(removed);
      return removed;
    };
  }

  private int countMessages(RetentionStore.Purged batch) {
    purged.get("messages").increment(batch.messages());
    purged.get("message_status_history").increment(batch.history());
    purged.get("call_session_deliveries").increment(batch.deliveries());
    return (int) batch.messages();
  }

  private static Counter counter(MeterRegistry registry, String table) {
    return Counter.builder("gateway.retention.purged").baseUnit("rows")
        .description("Rows removed by the retention purge (retention.*), by table")
        .tag("table", table)
        .register(registry);
  }
}
