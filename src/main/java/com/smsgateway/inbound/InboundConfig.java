package com.smsgateway.inbound;

import com.smsgateway.config.Config;
import com.smsgateway.work.Backoff;
import java.time.Duration;

/**
 * The {@code inbound.*} configuration.
 *
 * @param maxBatchSize        most rows one group commit writes (webhook inserts, dispatch outcomes)
 * @param sweepInterval       how often each replica looks for messages left pending or due for a retry
 * @param dispatchGrace       how long a replica owns a pending message it is dispatching (its lease); only after that
 *                            may a sweep (any replica's) take it over
 * @param dispatchTimeout     how long one swept dispatch may run; shorter than {@code dispatchGrace}
 * @param dispatchRetry       the pause before offering a message again after a handler failed (exponential, equal jitter)
 * @param maxDispatchAttempts dispatches of one message (the first included) before it is marked abandoned
 * @param sweepBatchSize      most messages one sweep takes over
 * @param maxQueuedRows       most webhook rows waiting for a group commit per event loop; beyond it webhooks are 503
 * @param routeDecisionTimeout how long a batch of webhooks waits for the handlers' route decision before its INSERT;
 *                            after it the texts are stored pending and dispatched after the commit
 */
public record InboundConfig(int maxBatchSize, Duration sweepInterval, Duration dispatchGrace, Duration dispatchTimeout,
                            Backoff dispatchRetry, int maxDispatchAttempts, int sweepBatchSize, int maxQueuedRows,
                            Duration routeDecisionTimeout) {

  public static InboundConfig from(Config root) {
    Config inbound = root.at("inbound");
    Duration grace = positive(inbound, "dispatch_grace", Duration.ofSeconds(10));
    return new InboundConfig(
        inbound.integer("max_batch_size", 128, 1, 10_000),
        positive(inbound, "sweep_interval", Duration.ofSeconds(5)),
        grace,
        positive(inbound, "dispatch_timeout", grace.dividedBy(2)),
        Backoff.configured(inbound, "dispatch_retry.initial", Duration.ofSeconds(5), "dispatch_retry.max", Duration.ofHours(1),
            Backoff.Jitter.EQUAL),
        inbound.integer("max_dispatch_attempts", 15, 1, 1_000),
        inbound.integer("sweep_batch_size", 100, 1, 10_000),
        inbound.integer("max_queued_rows", 2048, 1, 1_000_000),
        positive(inbound, "route_decision_timeout", Duration.ofMillis(100)));
  }

  private static Duration positive(Config inbound, String key, Duration defaultValue) {
    Duration value = inbound.duration(key, defaultValue);
    if (value.toMillis() < 1) {
      throw inbound.invalid(key, value, "must be at least 1ms");
    }
    return value;
  }
}
