package com.smsgateway.numbers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Numbers bought, brought, imported and released, and BYO verifications refused; built once, per tag value. */
final class NumberMetrics {
  /** Why a BYO number was refused at Twilio. */
  enum ByoFailure { TWILIO_CREDENTIALS_INVALID, NUMBER_NOT_IN_ACCOUNT, NUMBER_NOT_SMS_CAPABLE }

  private final Map<NumberType, Counter> acquired = new EnumMap<>(NumberType.class);
  private final Map<NumberType, Counter> imported = new EnumMap<>(NumberType.class);
  private final Map<NumberType, Counter> released = new EnumMap<>(NumberType.class);
  private final Map<ByoFailure, Counter> byoFailures = new HashMap<>();

  NumberMetrics(MeterRegistry registry) {
    for (NumberType type : NumberType.values()) {
      acquired.put(type, Counter.builder("gateway.numbers.bought")
          .description("Numbers added through the API: platform numbers bought at Twilio, BYO numbers brought (type byo_twilio)")
          .tag("type", type.wireName()).register(registry));
      imported.put(type, Counter.builder("gateway.numbers.imported")
          .description("Existing numbers registered by an admin (PUT /v1/sms-numbers/{n}, POST /v1/pool-numbers)")
          .tag("type", type.wireName()).register(registry));
      released.put(type, Counter.builder("gateway.numbers.released")
          .description("Numbers deleted: platform numbers released at Twilio, BYO numbers detached, pool numbers removed")
          .tag("type", type.wireName()).register(registry));
    }
    for (ByoFailure failure : List.of(ByoFailure.values())) {
      byoFailures.put(failure, Counter.builder("gateway.numbers.byo_verification_failures")
          .description("BYO numbers refused after checking them at Twilio, by kind")
          .tag("kind", failure.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
    }
  }

  void acquired(NumberType type) {
    acquired.get(type).increment();
  }

  void imported(NumberType type) {
    imported.get(type).increment();
  }

  void released(NumberType type) {
    released.get(type).increment();
  }

  void byoRefused(ByoFailure failure) {
    byoFailures.get(failure).increment();
  }
}
