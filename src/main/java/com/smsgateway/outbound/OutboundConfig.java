package com.smsgateway.outbound;

import com.smsgateway.config.Config;
import com.smsgateway.twilio.TwilioConfig;
import com.smsgateway.work.Backoff;
import java.time.Duration;
import java.util.Set;

/**
 * The {@code outbound.*} configuration.
 *
 * @param pollInterval          how often a replica looks for due queued texts (a submit wakes its own replica at once)
 * @param batchSize             texts claimed per round
 * @param lease                 how long a claimed text stays this replica's; longer than one send with all its retries
 * @param maxSendAttempts       claims per text; each makes up to {@code twilio.retry.max_attempts} requests
 * @param longestSend           the longest one send may take (every Twilio request with its retries): the deadline of a
 *                              sending, reconciling or rechecking job, shorter than the lease
 * @param retryBackoff          the pause before the next claim after a 429/5xx; doubled per claim, with equal jitter
 * @param reconcileInterval     how often texts left 'sending' without a sid past their lease are resolved
 * @param unknownOutcomeRecheck after a send's answer was lost, how soon to ask Twilio whether it took the text
 * @param reconcileClockSkew    Twilio's clock may differ from ours by this much when matching a listed message
 * @param statusRecheckAfter    a text Twilio accepted whose status has not moved (nor been asked about) for this long
 *                              is asked about: its status callbacks may have been lost
 * @param carrierCacheTtl       how long a recipient's carrier is trusted
 */
record OutboundConfig(
    Duration pollInterval,
    int batchSize,
    Duration lease,
    Duration longestSend,
    int maxSendAttempts,
    Backoff retryBackoff,
    Duration reconcileInterval,
    Duration unknownOutcomeRecheck,
    Duration reconcileClockSkew,
    Duration statusRecheckAfter,
    boolean smartEncodingForAll,
    Set<String> smartEncodingWorkspaces,
    Duration carrierCacheTtl) {

  static OutboundConfig from(Config root, TwilioConfig twilio) {
    Config config = root.at("outbound");
    Duration lease = positive(config, "lease", Duration.ofMinutes(2));
    Duration longestSend = twilio.retry().longestOperation(twilio.requestTimeout()).plus(twilio.concurrency().maxWait());
    if (lease.compareTo(longestSend) <= 0) {
      throw config.invalid("lease", lease, "must be longer than the longest send (" + longestSend
          + ": twilio.retry.max_attempts x twilio.request_timeout plus the backoffs and twilio.max_queue_wait), or a live send could be taken over");
    }
    return new OutboundConfig(
        positive(config, "poll_interval", Duration.ofSeconds(1)),
        config.integer("batch_size", 32, 1, 1000),
        lease,
        longestSend,
        config.integer("max_send_attempts", 3, 1, 50),
        Backoff.configured(config, "retry_backoff.initial", Duration.ofSeconds(5), "retry_backoff.max", Duration.ofMinutes(2),
            Backoff.Jitter.EQUAL),
        positive(config, "reconcile_interval", Duration.ofSeconds(30)),
        positive(config, "unknown_outcome_recheck", Duration.ofSeconds(15)),
        config.duration("reconcile_clock_skew", Duration.ofMinutes(1)),
        positive(config, "status_recheck_after", Duration.ofMinutes(10)),
        config.bool("smart_encoding.enabled", false),
        Set.copyOf(config.list("smart_encoding.workspaces", java.util.List.of())),
        positive(config, "carrier_cache_ttl", Duration.ofDays(30)));
  }

  /** Smart encoding is on for every workspace, or for the listed ones. */
  boolean smartEncoding(String workspaceId) {
    return smartEncodingForAll || smartEncodingWorkspaces.contains(workspaceId);
  }

  private static Duration positive(Config config, String key, Duration defaultValue) {
    Duration value = config.duration(key, defaultValue);
    if (value.isZero()) {
      throw config.invalid(key, value, "must be positive");
    }
    return value;
  }
}
