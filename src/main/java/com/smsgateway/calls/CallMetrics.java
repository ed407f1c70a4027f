package com.smsgateway.calls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * In-call SMS metrics. The pool gauges show shared state (PostgreSQL, Redis), refreshed by {@link PoolGaugesVerticle};
 * every replica reports the same values, so aggregate them with max, not sum.
 */
public final class CallMetrics {
  private final Counter poolExhausted;
  private final AtomicLong poolSize = new AtomicLong();
  private final AtomicLong pinsInUse = new AtomicLong();
  private final AtomicLong deliveriesPending = new AtomicLong();
  private final AtomicLong oldestPendingMillis = new AtomicLong();

  public CallMetrics(MeterRegistry registry) {
    this.poolExhausted = Counter.builder("gateway.calls.pool.exhausted")
        .description("In-call SMS refused because no pool number was free for the customer (503 pool_exhausted)")
        .register(registry);
    Gauge.builder("gateway.calls.pool.size", poolSize, AtomicLong::get)
        .description("Pool numbers that may send (all replicas report the same value)")
        .register(registry);
    Gauge.builder("gateway.calls.pool.pins_in_use", pinsInUse, AtomicLong::get)
        .description("Active calls holding a pinned pool number (all replicas report the same value)")
        .register(registry);
    Gauge.builder("gateway.call_sessions.backlog", deliveriesPending, AtomicLong::get).baseUnit("messages")
        .description("Texts received during calls waiting for delivery to their call session (all replicas report the same value)")
        .register(registry);
    Gauge.builder("gateway.call_sessions.backlog.age", oldestPendingMillis, millis -> millis.get() / 1000.0).baseUnit("seconds")
        .description("How long the oldest text waiting for its call session has waited (all replicas report the same value)")
        .register(registry);
  }

  void poolExhausted() {
    poolExhausted.increment();
  }

  void deliveryBacklog(CallSessionDeliveries.Backlog backlog) {
    deliveriesPending.set(backlog.pending());
    oldestPendingMillis.set(Math.round(backlog.oldestSeconds() * 1000));
  }

  void poolState(long size, long pins) {
    poolSize.set(size);
    pinsInUse.set(pins);
  }
}
