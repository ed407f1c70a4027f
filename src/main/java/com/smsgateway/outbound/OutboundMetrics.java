package com.smsgateway.outbound;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** The outbound pipeline's counters. */
final class OutboundMetrics {
  private final MeterRegistry registry;
  private final Counter accepted;
  private final AtomicLong stuckSending = new AtomicLong();
  private final AtomicLong statusOverdue = new AtomicLong();

  OutboundMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.accepted = Counter.builder("gateway.outbound.accepted").baseUnit("messages")
        .description("Outbound texts Twilio accepted (given a sid); the denominator of the status freshness SLO")
        .register(registry);
    Gauge.builder("gateway.outbound.reconcile.backlog", stuckSending, AtomicLong::get).baseUnit("messages")
        .description("Texts left 'sending' without a Twilio sid past their lease, waiting for the reconciler (all replicas)")
        .register(registry);
    Gauge.builder("gateway.outbound.status.overdue", statusOverdue, AtomicLong::get).baseUnit("messages")
        .description("Texts Twilio accepted 1 h to 1 day ago that still have no final status (all replicas)")
        .register(registry);
    // Counters of known outcomes exist from the start at 0, so rates and alerts see them before the first event.
    List.of("adopted", "resent", "unresolved").forEach(outcome -> reconciledCounter(outcome));
    List.of("advanced", "unchanged", "failed").forEach(outcome -> statusRecheckCounter(outcome));
  }

  /** Twilio took a text (each is counted once, when its sid is recorded). */
  void accepted() {
    accepted.increment();
  }

  /** Shared state read from PostgreSQL: every replica reports the same values, aggregate with max. */
  void backlog(OutboxStore.Backlog backlog) {
    stuckSending.set(backlog.stuckSending());
    statusOverdue.set(backlog.statusOverdue());
  }

  /** Segments Twilio accepted, by the brand tier and carrier they were charged to ("none" when not limited). */
  void segmentsSent(Optional<SegmentCharge> charge, int segments) {
    Counter.builder("gateway.outbound.segments")
        .description("Segments of texts Twilio accepted, by brand tier and recipient carrier")
        .tag("tier", charge.map(SegmentCharge::tier).orElse("none"))
        .tag("carrier", charge.map(charged -> charged.carrier().name().toLowerCase(Locale.ROOT)).orElse("unknown"))
        .register(registry)
        .increment(segments);
  }

  /** A text reached a final status (each does once). */
  void finalStatus(String status, Integer errorCode) {
    Counter.builder("gateway.outbound.messages")
        .description("Outbound texts by final status and Twilio error code")
        .tag("status", status)
        .tag("error_code", errorCode == null ? "none" : errorCode.toString())
        .register(registry)
        .increment();
  }

  /** How a text left 'sending' without a sid was resolved: adopted (Twilio had it), resent, or still unknown. */
  void reconciled(String outcome) {
    reconciledCounter(outcome).increment();
  }

  private Counter reconciledCounter(String outcome) {
    return Counter.builder("gateway.outbound.reconciled")
        .description("Texts found 'sending' without a Twilio sid after their lease, by how they were resolved")
        .tag("outcome", outcome)
        .register(registry);
  }

  /**
   * A text Twilio accepted, asked about because its status stood still: advanced (its callbacks were lost),
   * unchanged (Twilio has it no further), or failed (Twilio could not be asked).
   */
  void statusRecheck(String outcome) {
    statusRecheckCounter(outcome).increment();
  }

  private Counter statusRecheckCounter(String outcome) {
    return Counter.builder("gateway.outbound.status_rechecks")
        .description("Texts whose status stood still, asked about with Twilio, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  /** A status callback: advanced, stale (duplicate or late), unknown_sid or unknown_status. */
  void statusCallback(String outcome) {
    Counter.builder("gateway.twilio.status_callbacks")
        .description("Twilio status callbacks by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}
