package com.smsgateway.calls;

import com.smsgateway.domain.DomainFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * In-call SMS metrics. The pool gauges show shared state (PostgreSQL, Redis), refreshed by {@link PoolGaugesVerticle};
 * every replica reports the same values, so aggregate them with max, not sum.
 */
public final class CallMetrics {
  /**
   * The refusals of the calls routes that guard tenants from each other, by reason (the error code; a bad template
   * variable is {@code template_variable}). Other failures (404, malformed input) are counted by the HTTP error counter.
   */
  static final List<String> REFUSAL_REASONS = List.of("forbidden", "route_in_use", "call_id_ambiguous",
      "pool_recipient_must_be_customer", "pool_requires_template", "template_variable", "recipient_opted_out");
  private static final String TEMPLATE_VARIABLE_FIELD = "variables.";

  private final Map<String, Counter> refusals;
  private final Counter poolExhausted;
  private final AtomicLong poolSize = new AtomicLong();
  private final AtomicLong pinsInUse = new AtomicLong();
  private final AtomicLong deliveriesPending = new AtomicLong();
  private final AtomicLong oldestPendingMillis = new AtomicLong();

  public CallMetrics(MeterRegistry registry) {
    this.refusals = REFUSAL_REASONS.stream().collect(Collectors.toUnmodifiableMap(Function.identity(), reason ->
        Counter.builder("gateway.calls.refusals")
            .description("Calls API requests refused to keep tenants apart (roles, routes, pool rules, template variables), by reason")
            .tag("reason", reason)
            .register(registry)));
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

  /** Counts {@code failure} when it is one of {@link #REFUSAL_REASONS}. */
  void refused(Throwable failure) {
    String code;
    String field;
    if (failure instanceof DomainFailure domain) {
      code = domain.code();
      field = domain.field();
    } else {
      return;
    }
    String reason = field != null && field.startsWith(TEMPLATE_VARIABLE_FIELD) ? "template_variable" : code;
    Counter counter = refusals.get(reason);
    if (counter != null) {
      counter.increment();
    }
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
