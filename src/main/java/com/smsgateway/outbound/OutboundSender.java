package com.smsgateway.outbound;

import com.smsgateway.twilio.TwilioAccount;
import com.smsgateway.twilio.TwilioAccounts;
import com.smsgateway.twilio.TwilioApi;
import com.smsgateway.twilio.TwilioApiException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends queued texts: claims due rows in PostgreSQL (so no two replicas send the same one), records the attempt,
 * calls Twilio, records the sid. One per replica; it wakes on its poll timer and whenever this replica stores a
 * text. It also resolves texts left 'sending' without a sid (a crash, or a lost answer) by asking Twilio first,
 * never by resending blindly, and asks Twilio about accepted texts whose status stood still (their callbacks may
 * have been lost) — see the README, "Outbound texts".
 */
final class OutboundSender extends VerticleBase {
  static final String WAKE_ADDRESS = "outbound.wake";
  private static final Logger log = LoggerFactory.getLogger(OutboundSender.class);
  /** Twilio lists newest first; a stuck text is among the latest few between the same two numbers. */
  private static final int RECONCILE_PAGE_SIZE = 50;
  /**
   * Texts sent longer ago than this are not asked about any more: a carrier that sends no delivery receipt leaves a
   * text 'sent' at Twilio for good, and asking every outbound.status_recheck_after forever would only load Twilio.
   */
  private static final Duration STATUS_RECHECK_HORIZON = Duration.ofDays(1);
  /** The status freshness SLO (docs/slo.md): an accepted text reaches a final status within this. */
  private static final Duration STATUS_FRESHNESS_DEADLINE = Duration.ofHours(1);

  private final OutboxStore store;
  private final TwilioApi twilio;
  private final TwilioAccounts accounts;
  private final SegmentCharger charger;
  private final OutboundConfig config;
  private final OutboundMetrics metrics;
  private final String statusCallbackUrl;
  /** This replica's name on the leases it takes. */
  private final String owner = "replica-" + UUID.randomUUID();

  private MessageConsumer<Void> wakeUps;
  private long pollTimer;
  private long reconcileTimer;
  private boolean stopping;
  private Future<Void> sending;
  private boolean wokenWhileSending;
  private Future<Void> reconciling;

  OutboundSender(OutboxStore store, TwilioApi twilio, TwilioAccounts accounts, SegmentCharger charger,
                 OutboundConfig config, OutboundMetrics metrics, String statusCallbackUrl) {
    this.store = store;
    this.twilio = twilio;
    this.accounts = accounts;
    this.charger = charger;
    this.config = config;
    this.metrics = metrics;
    this.statusCallbackUrl = statusCallbackUrl;
  }

  @Override
  public Future<?> start() {
    wakeUps = vertx.eventBus().localConsumer(WAKE_ADDRESS, wake -> sendDue());
    pollTimer = vertx.setPeriodic(config.pollInterval().toMillis(), tick -> sendDue());
    // At once too: texts a crashed replica left behind are resolved on restart.
    reconcileTimer = vertx.setPeriodic(1, config.reconcileInterval().toMillis(), tick -> reconcile());
    return wakeUps.completion();
  }

  /** Stops claiming; the sends and checks under way finish and record their outcome. */
  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(reconcileTimer);
    return wakeUps.unregister().compose(unregistered -> Future.join(
        sending == null ? Future.succeededFuture() : sending,
        reconciling == null ? Future.succeededFuture() : reconciling));
  }

  /** One round at a time; a wake-up during a round, or a full batch, starts another round right after. */
  private void sendDue() {
    if (stopping) {
      return;
    }
    if (sending != null) {
      wokenWhileSending = true;
      return;
    }
    wokenWhileSending = false;
    Promise<Void> round = Promise.promise();
    sending = round.future();
    store.claimDue(owner, config.batchSize(), config.lease())
        .compose(claimed -> Future.join(claimed.stream().map(this::send).toList()).map(done -> claimed.size()))
        .onComplete(sent -> {
          if (sent.failed()) {
            log.warn("Claiming queued texts failed: {}", sent.cause().toString());
          }
          sending = null;
          round.complete();
          if (sent.succeeded() && (sent.result() == config.batchSize() || wokenWhileSending)) {
            sendDue();
          }
        });
  }

  private Future<Void> send(OutboxStore.Claimed message) {
    return accounts.find(message.accountSid())
        .compose(account -> account.isPresent()
            ? twilio.sendMessage(account.get(), message.fromNumber(), message.toNumber(), message.body(), message.mediaUrls(), statusCallbackUrl)
                .compose(sent -> accepted(message, sent.sid(), sent.status(), sent.errorCode().isPresent() ? sent.errorCode().getAsInt() : null,
                    "accepted by Twilio as " + sent.sid()), failure -> attemptFailed(message, failure))
            : fail(message, null, "The Twilio account " + message.accountSid() + " is not known to the gateway.", false))
        .recover(failure -> {
          log.error("Recording the outcome of sending {} failed; the reconciler will resolve it", message.id(), failure);
          return Future.succeededFuture();
        });
  }

  private Future<Void> accepted(OutboxStore.Claimed message, String sid, String twilioStatus, Integer errorCode, String detail) {
    return store.recordAccepted(message.id(), owner, sid, twilioStatus, errorCode, detail).compose(status -> {
      if (status.isEmpty()) {
        // The replica that holds the text now (a reconcile) records the sid and applies the parked callbacks.
        log.warn("Text {} was accepted by Twilio as {} after this replica lost its lease", message.id(), sid);
        return Future.succeededFuture(List.<OutboxStore.AppliedStatus>of());
      }
      metrics.accepted();
      metrics.segmentsSent(message.charge(), message.segments());
      if (MessageStatus.FINAL.contains(status.get())) {
        metrics.finalStatus(status.get(), errorCode);
      }
      return store.applyParkedCallbacks(sid);
    })
        .map(reached -> {
          reached.stream().filter(parked -> MessageStatus.FINAL.contains(parked.status()))
              .forEach(parked -> metrics.finalStatus(parked.status(), parked.errorCode()));
          return null;
        });
  }

  private Future<Void> attemptFailed(OutboxStore.Claimed message, Throwable failure) {
    if (!(failure instanceof TwilioApiException twilioFailure) || twilioFailure.httpStatus() == TwilioApiException.NO_HTTP_STATUS) {
      // No error answer from Twilio (the connection dropped, the answer could not be read, or handling it failed):
      // Twilio may have taken the text, so ask it (reconcile) instead of sending again or failing it.
      return store.recheckLater(message.id(), owner, config.unknownOutcomeRecheck(),
          "No readable answer from Twilio (" + failure.getMessage() + "); asking Twilio before any resend");
    }
    Integer code = twilioFailure.twilioErrorCode().isPresent() ? twilioFailure.twilioErrorCode().getAsInt() : null;
    if (twilioFailure.recipientOptedOut()) {
      return fail(message, code, "Twilio error 21610: the recipient opted out of texts from this number.", true);
    }
    String reason = "Twilio answered HTTP " + twilioFailure.httpStatus() + (code == null ? "" : ", error " + code) + ": " + twilioFailure.getMessage();
    return twilioFailure.retryable() ? retryOrFail(message, code, reason) : fail(message, code, reason, false);
  }

  /** Queued again after a backoff while attempts remain, else failed. */
  private Future<Void> retryOrFail(OutboxStore.Claimed message, Integer code, String reason) {
    if (message.attempts() >= config.maxSendAttempts()) {
      return fail(message, code, reason + " (gave up after " + message.attempts() + " attempts)", false);
    }
    return store.requeue(message.id(), owner, backoff(message.attempts()), code, reason + "; will retry").mapEmpty();
  }

  /** Failed before Twilio took it: the segments are given back. */
  private Future<Void> fail(OutboxStore.Claimed message, Integer code, String reason, boolean recipientOptedOut) {
    return store.fail(message, owner, code, reason, recipientOptedOut).compose(failed -> {
      if (!failed) {
        return Future.succeededFuture();
      }
      metrics.finalStatus(MessageStatus.FAILED, code);
      return message.charge().map(charger::refund).orElseGet(Future::succeededFuture);
    });
  }

  /** Exponential with equal jitter: at least half the ceiling, so retries neither bunch up nor come at once. */
  private Duration backoff(int failedAttempts) {
    long ceiling = Math.min(config.retryMaxBackoff().toMillis(),
        config.retryInitialBackoff().toMillis() << Math.min(failedAttempts - 1, 30));
    return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
  }

  private void reconcile() {
    if (stopping || reconciling != null) {
      return;
    }
    Promise<Void> round = Promise.promise();
    reconciling = round.future();
    store.claimUnresolved(owner, config.batchSize(), config.lease())
        .compose(stuck -> Future.join(stuck.stream().map(this::resolve).toList()))
        .compose(resolved -> store.claimStatusRechecks(owner, config.batchSize(), config.lease(), config.statusRecheckAfter(), STATUS_RECHECK_HORIZON))
        .compose(unfinished -> Future.join(unfinished.stream().map(this::recheckStatus).toList()))
        .compose(rechecked -> store.backlog(STATUS_FRESHNESS_DEADLINE, STATUS_RECHECK_HORIZON))
        .onSuccess(metrics::backlog)
        .onComplete(checked -> {
          if (checked.failed()) {
            log.warn("Claiming texts to reconcile or recheck failed: {}", checked.cause().toString());
          }
          reconciling = null;
          round.complete();
        });
  }

  /**
   * A text left 'sending' without a sid: if Twilio lists a message between the same numbers with the same body,
   * created since the attempt and not recorded on another text, that is this text; adopt its sid. If Twilio has
   * none, it never took the text: send it again. If Twilio cannot be asked, ask again later.
   */
  private Future<Void> resolve(OutboxStore.Claimed message) {
    return accounts.find(message.accountSid())
        .compose(account -> account.isPresent()
            ? listedTwin(account.get(), message).compose(twin -> twin.isPresent()
                ? adopt(message, twin.get())
                : retryOrFail(message, null, "Twilio has no record of the attempt").onSuccess(v -> metrics.reconciled("resent")))
            : fail(message, null, "The Twilio account " + message.accountSid() + " is not known to the gateway.", false))
        .recover(failure -> {
          metrics.reconciled("unresolved");
          log.warn("Could not ask Twilio about text {}; asking again later: {}", message.id(), failure.toString());
          return store.recheckLater(message.id(), owner, config.unknownOutcomeRecheck(), "Twilio could not be asked: " + failure.getMessage());
        });
  }

  private Future<Optional<TwilioApi.ListedMessage>> listedTwin(TwilioAccount account, OutboxStore.Claimed message) {
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

  private Future<Void> adopt(OutboxStore.Claimed message, TwilioApi.ListedMessage twin) {
    return accepted(message, twin.sid(), twin.status(), twin.errorCode().isPresent() ? twin.errorCode().getAsInt() : null,
        "reconciled: Twilio had accepted it as " + twin.sid())
        .onSuccess(v -> metrics.reconciled("adopted"));
  }

  /**
   * A text Twilio accepted whose status stood still: Twilio does not retry status callbacks, so ask it for the
   * status and apply the answer as a callback would be applied (forward only, so a late callback racing it is
   * harmless). Whatever the outcome, the next question comes no sooner than outbound.status_recheck_after.
   */
  private Future<Void> recheckStatus(OutboxStore.Unfinished message) {
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
            return (Void) null;
          });
        })
        .recover(failure -> {
          metrics.statusRecheck("failed");
          log.warn("Could not recheck the status of text {} ({}) with Twilio; asking again later: {}", message.id(), message.sid(), failure.toString());
          return Future.succeededFuture();
        })
        .compose(rechecked -> store.releaseStatusRecheck(message.id(), owner))
        .recover(failure -> {
          log.warn("Releasing the status recheck of text {} failed; its lease runs out: {}", message.id(), failure.toString());
          return Future.succeededFuture();
        });
  }
}
