package com.smsgateway.inbound;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/** The inbound feature's meters (names as listed in the README, "Metrics"), built once. */
final class InboundMeters {
  private final MeterRegistry registry;
  private final Counter unrouted;
  private final Counter abandoned;

  InboundMeters(MeterRegistry registry) {
    this.registry = registry;
    this.unrouted = Counter.builder("gateway.inbound.unrouted").description("Inbound texts no handler took (decided when stored, or when dispatched)")
        .baseUnit("messages").register(registry);
    this.abandoned = Counter.builder("gateway.inbound.dispatch.abandoned")
        .description("Inbound texts given up after inbound.max_dispatch_attempts failed dispatches")
        .baseUnit("messages").register(registry);
  }

  MeterRegistry registry() {
    return registry;
  }

  Counter unrouted() {
    return unrouted;
  }

  Counter abandoned() {
    return abandoned;
  }

  Counter dispatched(String handler) {
    return Counter.builder("gateway.inbound.dispatched").description("Inbound texts a handler took, by handler")
        .baseUnit("messages").tag("handler", handler).register(registry);
  }

  Counter handlerFailures(String handler) {
    return Counter.builder("gateway.inbound.dispatch.failures").description("Inbound handler offers that failed, by handler")
        .tag("handler", handler).register(registry);
  }

  Counter routeDecisionFailures(String handler) {
    return Counter.builder("gateway.inbound.route_decision.failures")
        .description("Route decisions before a store a handler failed or did not answer in time (its texts then went pending), by handler")
        .tag("handler", handler).register(registry);
  }

  /** Rows per group commit: near 1 when idle, growing with concurrent load up to inbound.max_batch_size. */
  DistributionSummary batchSizes(String writer) {
    return DistributionSummary.builder("gateway.inbound.batch.size")
        .description("Rows written per group commit, by writer (ingest: webhook inserts; dispatch_outcomes)")
        .baseUnit("rows")
        .tag("writer", writer)
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
        .register(registry);
  }
}
