package com.smsgateway.outbound;

import com.smsgateway.messages.MessageStore;
import com.smsgateway.twilio.TwilioApi;
import com.smsgateway.work.JobContext;
import com.smsgateway.work.JobOutcome;
import com.smsgateway.work.LeasedWorker;
import com.smsgateway.work.WorkerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;

/**
 * Sends due queued texts: claims them in PostgreSQL (each becomes 'sending' with one more attempt, leased to this
 * replica, so no two replicas send the same one), calls Twilio, records the sid or how the attempt ended. Woken by
 * every text this replica stores ({@link OutboundPipeline}) and every {@code outbound.poll_interval}.
 */
final class OutboundSendWorker extends LeasedWorker<MessageStore.OutboxClaim> {
  static final String NAME = "outbound_send";

  private final MessageStore store;
  private final TwilioApi twilio;
  private final OutboundAttempts attempts;
  private final String statusCallbackUrl;

  OutboundSendWorker(MessageStore store, TwilioApi twilio, OutboundAttempts attempts, OutboundConfig config,
                     String statusCallbackUrl, MeterRegistry registry, Clock clock) {
    super(settings(NAME, config.pollInterval(), false, config), registry, clock);
    this.store = store;
    this.twilio = twilio;
    this.attempts = attempts;
    this.statusCallbackUrl = statusCallbackUrl;
  }

  /** Outbound jobs hold a text for {@code outbound.lease} and may take as long as the longest send. */
  static WorkerSettings settings(String name, java.time.Duration pollEvery, boolean pollAtStart, OutboundConfig config) {
    return WorkerSettings.of(name, pollEvery, pollAtStart, config.batchSize(), config.lease(), "outbound.lease",
        config.longestSend(), "twilio.request_timeout");
  }

  @Override
  protected Future<List<MessageStore.OutboxClaim>> claim(String owner, int limit) {
    return store.claimDue(owner, limit, settings.lease());
  }

  @Override
  protected Future<JobOutcome> process(MessageStore.OutboxClaim message, JobContext context) {
    String owner = context.owner();
    return attempts.withAccount(message, owner, account ->
            twilio.sendMessage(account, message.fromNumber(), message.toNumber(), message.body(), message.mediaUrls(), statusCallbackUrl)
                .compose(sent -> attempts.accepted(message, owner, sent.sid(), sent.status(),
                    sent.errorCode().isPresent() ? sent.errorCode().getAsInt() : null, "accepted by Twilio as " + sent.sid()),
                    failure -> attempts.attemptFailed(message, owner, failure)))
        .recover(failure -> OutboundAttempts.logged(message, failure));
  }
}
