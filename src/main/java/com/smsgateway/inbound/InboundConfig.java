package com.smsgateway.inbound;

import com.smsgateway.config.Config;
import java.time.Duration;

/**
 * The {@code inbound.*} configuration.
 *
 * @param maxBatchSize        most rows one group commit writes (webhook inserts, dispatch outcomes)
 * @param sweepInterval       how often each replica looks for messages left pending
 * @param dispatchGrace       how long a replica owns a pending message it is dispatching; only after that may a
 *                            sweep (any replica's) take it over
 * @param maxDispatchAttempts dispatches of one message (the first included) before it is marked abandoned
 * @param sweepBatchSize      most messages one sweep takes over
 * @param maxQueuedRows       most webhook rows waiting for a group commit per event loop; beyond it webhooks are 503
 */
public record InboundConfig(int maxBatchSize, Duration sweepInterval, Duration dispatchGrace, int maxDispatchAttempts, int sweepBatchSize,
                            int maxQueuedRows) {

  public static InboundConfig from(Config root) {
    Config inbound = root.at("inbound");
    return new InboundConfig(
        inbound.integer("max_batch_size", 128, 1, 10_000),
        positive(inbound, "sweep_interval", Duration.ofSeconds(5)),
        positive(inbound, "dispatch_grace", Duration.ofSeconds(10)),
        inbound.integer("max_dispatch_attempts", 5, 1, 1_000),
        inbound.integer("sweep_batch_size", 100, 1, 10_000),
        inbound.integer("max_queued_rows", 2048, 1, 1_000_000));
  }

  private static Duration positive(Config inbound, String key, Duration defaultValue) {
    Duration value = inbound.duration(key, defaultValue);
    if (value.toMillis() < 1) {
      throw inbound.invalid(key, value, "must be at least 1ms");
    }
    return value;
  }
}
