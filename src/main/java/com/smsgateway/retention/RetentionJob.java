package com.smsgateway.retention;

import com.smsgateway.messages.MessageStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One purge of everything past its retention (run by {@link RetentionWorker} on the replica holding the lease):
 * table after table, one bounded batch after another, counted per table.
 */
final class RetentionJob {
  private final RetentionStore store;
  private final MessageStore messages;
  private final RetentionConfig config;
  private final Map<String, Counter> purged;

  RetentionJob(RetentionStore store, MessageStore messages, RetentionConfig config, MeterRegistry registry) {
    this.store = store;
    this.messages = messages;
    this.config = config;
    this.purged = Map.of(
        "messages", counter(registry, "messages"),
        "message_status_history", counter(registry, "message_status_history"),
        "call_session_deliveries", counter(registry, "call_session_deliveries"),
        "unmatched_status_callbacks", counter(registry, "unmatched_status_callbacks"),
        "carrier_lookups", counter(registry, "carrier_lookups"),
        "idempotency_keys", counter(registry, "idempotency_keys"));
  }

  /**
   * Purges every table in turn, one bounded batch after another, until a batch comes back short or {@code stop}
   * says the run must end (its lease was lost or its deadline passed); the rest waits for the next run.
   */
  Future<Void> purge(BooleanSupplier stop) {
    int batch = config.batchSize();
    return drain(stop, () -> messages.purgeFinished(config.messages(), batch).map(this::countMessages))
        .compose(v -> drain(stop, counted("call_session_deliveries", () -> store.purgeCallSessionDeliveries(config.callSessionDeliveries(), batch))))
        .compose(v -> drain(stop, counted("unmatched_status_callbacks", () -> messages.purgeParkedCallbacks(config.parkedCallbacks(), batch))))
        .compose(v -> drain(stop, counted("carrier_lookups", () -> store.purgeCarrierLookups(config.carrierLookups(), batch))))
        .compose(v -> drain(stop, counted("idempotency_keys", () -> store.purgeIdempotencyKeys(config.idempotencyKeys(), batch))));
  }

  /** Repeats {@code batch} (which answers the rows it removed) until one comes back short or the run must stop. */
  private Future<Void> drain(BooleanSupplier stop, Supplier<Future<Integer>> batch) {
    if (stop.getAsBoolean()) {
      return Future.succeededFuture();
    }
    return batch.get().compose(removed -> removed < config.batchSize() ? Future.succeededFuture() : drain(stop, batch));
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

  private int countMessages(MessageStore.PurgedTexts batch) {
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
