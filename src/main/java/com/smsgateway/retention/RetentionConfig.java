package com.smsgateway.retention;

import com.smsgateway.config.Config;
import java.time.Duration;

/**
 * {@code retention.*}: how long finished data is kept, and how the purge runs.
 *
 * @param interval              how often the purge runs (one replica at a time, leased)
 * @param lease                 a replica's hold on the purge; renewed after every batch
 * @param batchSize             rows one DELETE statement removes at most
 * @param messages              final texts (with their status history and call-session deliveries)
 * @param parkedCallbacks       status callbacks whose MessageSid no text has
 * @param callSessionDeliveries finished deliveries of texts to call sessions
 * @param carrierLookups        recipients' carriers learned from Twilio Lookup
 * @param idempotencyKeys       stored responses to Idempotency-Key requests ({@code idempotency.ttl})
 */
public record RetentionConfig(Duration interval, Duration lease, int batchSize, Duration messages, Duration parkedCallbacks,
                              Duration callSessionDeliveries, Duration carrierLookups, Duration idempotencyKeys) {

  public static RetentionConfig from(Config root) {
    Config section = root.at("retention");
    Duration idempotencyTtl = root.at("idempotency").duration("ttl", Duration.ofHours(24));
    return new RetentionConfig(
        positive(section, "interval", Duration.ofHours(1)),
        positive(section, "lease", Duration.ofMinutes(5)),
        section.integer("batch_size", 1000, 1, 100_000),
        positive(section, "messages", Duration.ofDays(30)),
        positive(section, "parked_callbacks", Duration.ofDays(1)),
        positive(section, "call_session_deliveries", Duration.ofDays(7)),
        positive(section, "carrier_lookups", Duration.ofDays(30)),
        idempotencyTtl);
  }

  private static Duration positive(Config section, String key, Duration fallback) {
    Duration value = section.duration(key, fallback);
    if (value.isNegative() || value.isZero()) {
      throw section.invalid(key, value, "must be longer than 0");
    }
    return value;
  }
}
