package com.smsgateway.outbound;

import com.smsgateway.messages.SegmentCharge;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Optional;

/** The outbound pipeline's counters. */
final class OutboundMetrics {
  private final MeterRegistry registry;

  OutboundMetrics(MeterRegistry registry) {
    this.registry = registry;
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
    Counter.builder("gateway.outbound.reconciled")
        .description("Texts found 'sending' without a Twilio sid after their lease, by how they were resolved")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  /**
   * A text Twilio accepted, asked about because its status stood still: advanced (its callbacks were lost),
   * unchanged (Twilio has it no further), or failed (Twilio could not be asked).
   */
  void statusRecheck(String outcome) {
    Counter.builder("gateway.outbound.status_rechecks")
        .description("Texts whose status stood still, asked about with Twilio, by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
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
