package com.smsgateway.registration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Registration meters, built once: submissions and decisions by kind and state, stale steps, emails, fees. */
final class RegistrationMetrics {
  static final List<String> STATES = List.of("pending", "approved", "rejected", "suspended");

  private final Map<String, Counter> transitions = new HashMap<>();
  private final Map<RegistrationKind, AtomicLong> stale = new EnumMap<>(RegistrationKind.class);
  private final Map<RegistrationKind, Counter> feeItems = new EnumMap<>(RegistrationKind.class);
  private final Map<RegistrationKind, Counter> feeCents = new EnumMap<>(RegistrationKind.class);
  private final Counter emailsSent;
  private final Counter emailsRetried;
  private final Counter emailsFailed;

  RegistrationMetrics(MeterRegistry registry) {
    for (RegistrationKind kind : RegistrationKind.values()) {
      for (String state : STATES) {
        transitions.put(kind.wireName() + ":" + state, Counter.builder("gateway.registrations.transitions")
            .description("Registration steps entering a state (pending: submitted or resubmitted), by kind and state")
            .tag("kind", kind.wireName()).tag("state", state).register(registry));
      }
      AtomicLong staleCount = new AtomicLong();
      stale.put(kind, staleCount);
      Gauge.builder("gateway.registrations.stale", staleCount, AtomicLong::get)
          .description("Registration steps pending longer than registration.stale_after, by kind")
          .tag("kind", kind.wireName()).register(registry);
      feeItems.put(kind, Counter.builder("gateway.registrations.fees.recorded")
          .description("Registration fee items recorded in the ledger, by kind").tag("kind", kind.wireName()).register(registry));
      feeCents.put(kind, Counter.builder("gateway.registrations.fees.cents")
          .description("Registration fees recorded, in US cents, by kind").baseUnit("cents").tag("kind", kind.wireName()).register(registry));
    }
    emailsSent = emailCounter(registry, "sent");
    emailsRetried = emailCounter(registry, "retried");
    emailsFailed = emailCounter(registry, "failed");
  }

  private static Counter emailCounter(MeterRegistry registry, String outcome) {
    return Counter.builder("gateway.registrations.emails")
        .description("Decision email attempts by outcome (sent; retried: failed, tried again later; failed: given up)")
        .tag("outcome", outcome).register(registry);
  }

  void entered(RegistrationKind kind, String state) {
    Counter counter = transitions.get(kind.wireName() + ":" + state);
    if (counter != null) {
      counter.increment();
    }
  }

  void fee(RegistrationKind kind, int cents) {
    feeItems.get(kind).increment();
    feeCents.get(kind).increment(cents);
  }

  void stale(Map<RegistrationKind, Long> counts) {
    stale.forEach((kind, gauge) -> gauge.set(counts.getOrDefault(kind, 0L)));
  }

  void emailSent() {
    emailsSent.increment();
  }

  void emailRetried() {
    emailsRetried.increment();
  }

  void emailFailed() {
    emailsFailed.increment();
  }
}
