package com.smsgateway.outbound;

import com.smsgateway.messages.MessageStore;
import com.smsgateway.messages.MessageStatus;
import com.smsgateway.twilio.TwilioAccounts;
import com.smsgateway.twilio.TwilioApi;
import com.smsgateway.work.JobContext;
import com.smsgateway.work.JobOutcome;
import com.smsgateway.work.LeasedWorker;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks Twilio about texts it accepted whose status stood still for {@code outbound.status_recheck_after}: Twilio does
 * not retry status callbacks, so some are lost. Every {@code outbound.reconcile_interval} and at start-up.
 */
final class OutboundStatusRecheckWorker extends LeasedWorker<MessageStore.Unfinished> {
  static final String NAME = "outbound_status_recheck";
  private static final Logger log = LoggerFactory.getLogger(OutboundStatusRecheckWorker.class);
  /**
   * Texts sent longer ago than this are not asked about any more: a carrier that sends no delivery receipt leaves a
   * text 'sent' at Twilio for good, and asking every outbound.status_recheck_after forever would only load Twilio.
   */
  private static final Duration STATUS_RECHECK_HORIZON = Duration.ofDays(1);

  private final MessageStore store;
  private final TwilioApi twilio;
  private final TwilioAccounts accounts;
  private final OutboundConfig config;
  private final OutboundMetrics metrics;

  OutboundStatusRecheckWorker(MessageStore store, TwilioApi twilio, TwilioAccounts accounts, OutboundConfig config, OutboundMetrics metrics,
                              MeterRegistry registry, Clock clock) {
    super(OutboundSendWorker.settings(NAME, config.reconcileInterval(), true, config), registry, clock);
    this.store = store;
    this.twilio = twilio;
    this.accounts = accounts;
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  protected Future<List<MessageStore.Unfinished>> claim(String owner, int limit) {
    return store.claimStatusRechecks(owner, limit, settings.lease(), config.statusRecheckAfter(), STATUS_RECHECK_HORIZON);
  }

  /**
   * Applies Twilio's answer as a callback would be applied (forward only, so a late callback racing it is harmless).
   * Whatever the outcome, the next question comes no sooner than outbound.status_recheck_after.
   */
  @Override
  protected Future<JobOutcome> process(MessageStore.Unfinished message, JobContext context) {
    return accounts.find(message.accountSid())
        .compose(account -> account.isPresent()
            ? twilio.fetchMessage(account.get(), message.sid())
            : Future.failedFuture("the Twilio account " + message.accountSid() + " is not known to the gateway"))
        .compose(state -> {
          Integer errorCode = state.errorCode().isPresent() ? state.errorCode().getAsInt() : null;
          String status = MessageStatus.applied(state.status(), errorCode);
          return store.applyRecheckedStatus(message.sid(), status, errorCode, state.errorMessage()).map(advanced -> {
            metrics.statusRecheck(advanced ? "advanced" : "unchanged");
            if (advanced && MessageStatus.FINAL.contains(status)) {
              metrics.finalStatus(status, errorCode);
            }
            return JobOutcome.DONE;
          });
        })
        .recover(failure -> {
          metrics.statusRecheck("failed");
          log.warn("Could not recheck the status of text {} ({}) with Twilio; asking again later: {}", message.id(), message.sid(), failure.toString());
          return Future.succeededFuture(JobOutcome.RETRY);
        })
        .compose(rechecked -> store.releaseStatusRecheck(message.id(), context.owner()).map(rechecked))
        .recover(failure -> {
          log.warn("Releasing the status recheck of text {} failed; its lease runs out: {}", message.id(), failure.toString());
          return Future.succeededFuture(JobOutcome.ERROR);
        });
  }
}
