package com.smsgateway.outbound;

import com.smsgateway.messages.SegmentCharge;
import com.smsgateway.messages.MessageStore;
import com.smsgateway.metrics.CounterFamily;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** The outbound pipeline's counters, described once. */
final class OutboundMetrics {
  private final CounterFamily segments;
  private final CounterFamily messages;
  private final CounterFamily reconciled;
  private final CounterFamily statusRechecks;
  private final CounterFamily statusCallbacks;
  private final Counter accepted;
  private final Counter foundStored;
  private final AtomicLong stuckSending = new AtomicLong();
  private final AtomicLong statusOverdue = new AtomicLong();

  OutboundMetrics(MeterRegistry registry) {
    this.segments = CounterFamily.of(registry, "gateway.outbound.segments",
        "Segments of texts Twilio accepted, by brand tier and recipient carrier", null, "tier", "carrier");
    this.messages = CounterFamily.of(registry, "gateway.outbound.messages",
        "Outbound texts by final status and Twilio error code", null, "status", "error_code");
    this.reconciled = CounterFamily.of(registry, "gateway.outbound.reconciled",
        "Texts found 'sending' without a Twilio sid after their lease, by how they were resolved", null, "outcome");
    this.statusRechecks = CounterFamily.of(registry, "gateway.outbound.status_rechecks",
        "Texts whose status stood still, asked about with Twilio, by outcome", null, "outcome");
    this.statusCallbacks = CounterFamily.of(registry, "gateway.twilio.status_callbacks",
        "Twilio status callbacks by outcome", null, "outcome");
    this.accepted = Counter.builder("gateway.outbound.accepted").baseUnit("messages")
        .description("Outbound texts Twilio accepted (given a sid); the denominator of the status freshness SLO")
        .register(registry);
    this.foundStored = Counter.builder("gateway.outbound.found_stored").baseUnit("messages")
        .description("Texts a retry after a crash found stored by the run its replica did not answer (not stored or sent again)")
        .register(registry);
    Gauge.builder("gateway.outbound.reconcile.backlog", stuckSending, AtomicLong::get).baseUnit("messages")
        .description("Texts left 'sending' without a Twilio sid past their lease, waiting for the reconciler (all replicas)")
        .register(registry);
    Gauge.builder("gateway.outbound.status.overdue", statusOverdue, AtomicLong::get).baseUnit("messages")
        .description("Texts Twilio accepted 1 h to 1 day ago that still have no final status (all replicas)")
        .register(registry);
    // Counters of known outcomes exist from the start at 0, so rates and alerts see them before the first event.
    List.of("adopted", "resent", "unresolved").forEach(reconciled::with);
    List.of("advanced", "unchanged", "failed").forEach(statusRechecks::with);
  }

  /** Twilio took a text (each is counted once, when its sid is recorded). */
  void accepted() {
    accepted.increment();
  }

  /** A retried request's text was stored by its earlier run (an Idempotency-Key's claim taken over after a crash). */
  void foundStored() {
    foundStored.increment();
  }

  /** Shared state read from PostgreSQL: every replica reports the same values, aggregate with max. */
  void backlog(MessageStore.OutboundBacklog backlog) {
    stuckSending.set(backlog.stuckSending());
    statusOverdue.set(backlog.statusOverdue());
  }

  /** Segments Twilio accepted, by the brand tier and carrier they were charged to ("none" when not limited). */
  void segmentsSent(Optional<SegmentCharge> charge, int count) {
    segments.with(charge.map(SegmentCharge::tier).orElse("none"),
            charge.map(charged -> charged.carrier().name().toLowerCase(Locale.ROOT)).orElse("unknown"))
        .increment(count);
  }

  /** A text reached a final status (each does once). */
  void finalStatus(String status, Integer errorCode) {
    messages.with(status, errorCode == null ? "none" : errorCode.toString()).increment();
  }

  /** How a text left 'sending' without a sid was resolved: adopted (Twilio had it), resent, or still unknown. */
  void reconciled(String outcome) {
    reconciled.with(outcome).increment();
  }

  /**
   * A text Twilio accepted, asked about because its status stood still: advanced (its callbacks were lost),
   * unchanged (Twilio has it no further), or failed (Twilio could not be asked).
   */
  void statusRecheck(String outcome) {
    statusRechecks.with(outcome).increment();
  }

  /** A status callback: advanced, stale (duplicate or late), unknown_sid or unknown_status. */
  void statusCallback(String outcome) {
    statusCallbacks.with(outcome).increment();
  }
}
