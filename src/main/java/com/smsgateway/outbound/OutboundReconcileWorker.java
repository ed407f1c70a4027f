package com.smsgateway.outbound;

import com.smsgateway.messages.MessageStore;
import com.smsgateway.twilio.TwilioAccount;
import com.smsgateway.twilio.TwilioApi;
import com.smsgateway.work.JobContext;
import com.smsgateway.work.JobOutcome;
import com.smsgateway.work.LeasedWorker;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves texts left 'sending' without a sid past their lease (a replica crashed mid-send, or a send's answer was
 * lost) by asking Twilio, never by resending blindly: every {@code outbound.reconcile_interval} and at start-up. Before
 * each claim it forgets status callbacks parked for a sid no text ever got. See the README, "Outbound texts".
 */
final class OutboundReconcileWorker extends LeasedWorker<MessageStore.OutboxClaim> {
  static final String NAME = "outbound_reconcile";
  private static final Logger log = LoggerFactory.getLogger(OutboundReconcileWorker.class);
  /** Twilio lists newest first; a stuck text is among the latest few between the same two numbers. */
  private static final int RECONCILE_PAGE_SIZE = 50;
  /** The status freshness SLO (docs/slo.md): an accepted text reaches a final status within this. */
  private static final Duration STATUS_FRESHNESS_DEADLINE = Duration.ofHours(1);
  /** Texts sent longer ago than this are no longer rechecked with Twilio, nor counted overdue. */
  private static final Duration OVERDUE_HORIZON = Duration.ofDays(1);

  private final MessageStore store;
  private final TwilioApi twilio;
  private final OutboundAttempts attempts;
  private final OutboundConfig config;
  private final OutboundMetrics metrics;

  OutboundReconcileWorker(MessageStore store, TwilioApi twilio, OutboundAttempts attempts, OutboundConfig config,
                          OutboundMetrics metrics, MeterRegistry registry, Clock clock) {
    super(OutboundSendWorker.settings(NAME, config.reconcileInterval(), true, config), registry, clock);
    this.store = store;
    this.twilio = twilio;
    this.attempts = attempts;
    this.config = config;
    this.metrics = metrics;
  }

  /** Refreshes the reconcile-backlog and status-overdue gauges (shared state) after each round. */
  @Override
  protected Future<Void> afterBatch() {
    return store.outboundBacklog(STATUS_FRESHNESS_DEADLINE, OVERDUE_HORIZON).map(backlog -> {
      metrics.backlog(backlog);
      return null;
    });
  }

  @Override
  protected Future<List<MessageStore.OutboxClaim>> claim(String owner, int limit) {
    return store.claimUnresolved(owner, limit, settings.lease());
  }

  /**
   * If Twilio lists a message between the same numbers with the same body, created since the attempt and not recorded
   * on another text, that is this text: adopt its sid. If Twilio has none, it never took the text: send it again. If
   * Twilio cannot be asked, ask again later.
   */
  @Override
  protected Future<JobOutcome> process(MessageStore.OutboxClaim message, JobContext context) {
    String owner = context.owner();
    return attempts.withAccount(message, owner, account -> listedTwin(account, message).compose(twin -> twin.isPresent()
            ? adopt(message, owner, twin.get())
            : attempts.retryOrFail(message, owner, null, "Twilio has no record of the attempt").onSuccess(v -> metrics.reconciled("resent"))))
        .recover(failure -> {
          metrics.reconciled("unresolved");
          log.warn("Could not ask Twilio about text {}; asking again later: {}", message.id(), failure.toString());
          return attempts.recheckLater(message, owner, "Twilio could not be asked: " + failure.getMessage());
        })
        .recover(failure -> OutboundAttempts.logged(message, failure));
  }

  private Future<Optional<TwilioApi.ListedMessage>> listedTwin(TwilioAccount account, MessageStore.OutboxClaim message) {
    Instant since = message.lastAttemptAt().minus(config.reconcileClockSkew());
    return twilio.recentMessages(account, message.fromNumber(), message.toNumber(), RECONCILE_PAGE_SIZE).compose(listed -> {
      List<TwilioApi.ListedMessage> candidates = listed.stream()
          .filter(twin -> message.body().equals(twin.body()) && twin.dateCreated() != null && !twin.dateCreated().isBefore(since))
          .toList();
      if (candidates.isEmpty()) {
        return Future.succeededFuture(Optional.empty());
      }
      return store.knownSids(candidates.stream().map(TwilioApi.ListedMessage::sid).toList()).map(known -> candidates.stream()
          .filter(twin -> !known.contains(twin.sid()))
          .min(Comparator.comparing(TwilioApi.ListedMessage::dateCreated)));
    });
  }

  private Future<JobOutcome> adopt(MessageStore.OutboxClaim message, String owner, TwilioApi.ListedMessage twin) {
    return attempts.accepted(message, owner, twin.sid(), twin.status(), twin.errorCode().isPresent() ? twin.errorCode().getAsInt() : null,
            "reconciled: Twilio had accepted it as " + twin.sid())
        .onSuccess(v -> metrics.reconciled("adopted"));
  }
}
