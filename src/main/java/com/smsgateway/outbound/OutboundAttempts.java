package com.smsgateway.outbound;

import com.smsgateway.messages.MessageStore;
import com.smsgateway.messages.MessageStatus;
import com.smsgateway.twilio.TwilioAccount;
import com.smsgateway.twilio.TwilioAccounts;
import com.smsgateway.twilio.TwilioApiException;
import com.smsgateway.work.Backoff;
import com.smsgateway.work.JobOutcome;
import io.vertx.core.Future;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a send attempt ends, for the sending and the reconciling workers alike: every outcome is one owner-checked
 * statement ({@link MessageStore}), so a worker that lost the text's lease changes nothing. See the README, "Outbound
 * texts".
 */
final class OutboundAttempts {
  private static final Logger log = LoggerFactory.getLogger(OutboundAttempts.class);

  private final MessageStore store;
  private final TwilioAccounts accounts;
  private final SegmentCharger charger;
  private final OutboundConfig config;
  private final OutboundMetrics metrics;
  private final Backoff retry;

  OutboundAttempts(MessageStore store, TwilioAccounts accounts, SegmentCharger charger, OutboundConfig config, OutboundMetrics metrics) {
    this.store = store;
    this.accounts = accounts;
    this.charger = charger;
    this.config = config;
    this.metrics = metrics;
    this.retry = config.retryBackoff();
  }

  /** Twilio has the text as {@code sid}: record it (and apply callbacks parked before it was known). */
  Future<JobOutcome> accepted(MessageStore.OutboxClaim message, String owner, String sid, String twilioStatus, Integer errorCode, String detail) {
    return store.recordAccepted(message.id(), owner, sid, twilioStatus, errorCode, detail).compose(status -> {
      if (status.isEmpty()) {
        // The replica that holds the text now (a reconcile) records the sid and applies the parked callbacks.
        log.warn("Text {} was accepted by Twilio as {} after this replica lost its lease", message.id(), sid);
        return Future.succeededFuture(JobOutcome.LEASE_LOST);
      }
      metrics.accepted();
      metrics.segmentsSent(message.charge(), message.segments());
      if (MessageStatus.FINAL.contains(status.get())) {
        metrics.finalStatus(status.get(), errorCode);
      }
      return store.applyParkedCallbacks(sid).map(reached -> {
        reached.stream().filter(parked -> MessageStatus.FINAL.contains(parked.status()))
            .forEach(parked -> metrics.finalStatus(parked.status(), parked.errorCode()));
        return JobOutcome.DONE;
      });
    });
  }

  /** Twilio did not take the text, or its answer was lost. */
  Future<JobOutcome> attemptFailed(MessageStore.OutboxClaim message, String owner, Throwable failure) {
    if (!(failure instanceof TwilioApiException twilioFailure) || twilioFailure.httpStatus() == TwilioApiException.NO_HTTP_STATUS) {
      // No error answer from Twilio (the connection dropped, the answer could not be read, or handling it failed):
      // Twilio may have taken the text, so ask it (reconcile) instead of sending again or failing it.
      return recheckLater(message, owner, "No readable answer from Twilio (" + failure.getMessage() + "); asking Twilio before any resend");
    }
    Integer code = twilioFailure.twilioErrorCode().isPresent() ? twilioFailure.twilioErrorCode().getAsInt() : null;
    if (twilioFailure.recipientOptedOut()) {
      return fail(message, owner, code, "Twilio error 21610: the recipient opted out of texts from this number.", true);
    }
    String reason = "Twilio answered HTTP " + twilioFailure.httpStatus() + (code == null ? "" : ", error " + code) + ": " + twilioFailure.getMessage();
    return twilioFailure.retryable() ? retryOrFail(message, owner, code, reason) : fail(message, owner, code, reason, false);
  }

  /** Keeps the text 'sending' and this replica's until the reconciler may ask Twilio about it. */
  Future<JobOutcome> recheckLater(MessageStore.OutboxClaim message, String owner, String reason) {
    return store.recheckLater(message.id(), owner, config.unknownOutcomeRecheck(), reason).map(JobOutcome.RETRY);
  }

  /** Queued again after a backoff while attempts remain, else failed. */
  Future<JobOutcome> retryOrFail(MessageStore.OutboxClaim message, String owner, Integer code, String reason) {
    if (message.attempts() >= config.maxSendAttempts()) {
      return fail(message, owner, code, reason + " (gave up after " + message.attempts() + " attempts)", false);
    }
    return store.requeue(message.id(), owner, retry.delay(message.attempts()), code, reason + "; will retry")
        .map(requeued -> requeued ? JobOutcome.RETRY : JobOutcome.LEASE_LOST);
  }

  /** Failed before Twilio took it: the segments are given back. */
  Future<JobOutcome> fail(MessageStore.OutboxClaim message, String owner, Integer code, String reason, boolean recipientOptedOut) {
    return store.fail(message, owner, code, reason, recipientOptedOut).compose(failed -> {
      if (!failed) {
        return Future.succeededFuture(JobOutcome.LEASE_LOST);
      }
      metrics.finalStatus(MessageStatus.FAILED, code);
      return message.charge().map(charger::refund).orElseGet(Future::succeededFuture).map(JobOutcome.GAVE_UP);
    });
  }

  /** Runs {@code attempt} with the text's Twilio account; a text of an account the gateway does not know fails. */
  Future<JobOutcome> withAccount(MessageStore.OutboxClaim message, String owner, Function<TwilioAccount, Future<JobOutcome>> attempt) {
    return accounts.find(message.accountSid()).compose(account -> account.isPresent()
        ? attempt.apply(account.get())
        : fail(message, owner, null, "The Twilio account " + message.accountSid() + " is not known to the gateway.", false));
  }

  /** Other texts of the same batch go on; the text's lease runs out and the reconciler resolves it. */
  static Future<JobOutcome> logged(MessageStore.OutboxClaim message, Throwable failure) {
    log.error("Recording the outcome of sending {} failed; the reconciler will resolve it", message.id(), failure);
    return Future.succeededFuture(JobOutcome.ERROR);
  }
}
