package com.smsgateway.inbound;

import com.smsgateway.db.GroupCommit;
import com.smsgateway.messages.Message;
import com.smsgateway.messages.MessageStore;
import com.smsgateway.work.Backoff;
import com.smsgateway.work.JobOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dispatch attempt of a pending message: offers it to the handlers in order until one takes it, then records the
 * outcome (owner-checked): dispatched to that handler, or unrouted when none took it. When a handler fails, the
 * message is offered again after an exponential backoff ({@code inbound.dispatch_retry}), up to
 * {@code inbound.max_dispatch_attempts}; after the last attempt it is abandoned (an admin may redeliver it).
 */
final class InboundDispatch {
  private static final Logger log = LoggerFactory.getLogger(InboundDispatch.class);

  private final List<InboundHandler> handlers;
  private final GroupCommit<MessageStore.DispatchOutcome, Boolean> outcomes;
  private final Backoff retry;
  private final int maxAttempts;
  private final Counter unrouted;
  private final Counter abandoned;
  private final Map<String, Counter> dispatched = new HashMap<>();
  private final Map<String, Counter> handlerFailures = new HashMap<>();

  InboundDispatch(List<InboundHandler> handlers, GroupCommit<MessageStore.DispatchOutcome, Boolean> outcomes, InboundConfig config,
                  InboundMeters meters) {
    this.handlers = List.copyOf(handlers);
    this.outcomes = outcomes;
    this.retry = config.dispatchRetry();
    this.maxAttempts = config.maxDispatchAttempts();
    this.unrouted = meters.unrouted();
    this.abandoned = meters.abandoned();
    for (InboundHandler handler : this.handlers) {
      dispatched.put(handler.name(), meters.dispatched(handler.name()));
      handlerFailures.put(handler.name(), meters.handlerFailures(handler.name()));
    }
  }

  /** The {@code attempt}th dispatch of the message; never fails (an attempt whose outcome is not recorded is swept again). */
  Future<JobOutcome> dispatch(Message message, int attempt) {
    return offer(message, 0)
        .recover(failure -> Future.succeededFuture(failed(message, attempt, failure)))
        .compose(outcome -> outcomes.submit(outcome).map(recorded -> counted(message, outcome, recorded)))
        .recover(failure -> {
          log.warn("Recording the dispatch of inbound message {} failed; it stays pending for the sweep: {}", message.id(), failure.toString());
          return Future.succeededFuture(JobOutcome.ERROR);
        });
  }

  private MessageStore.DispatchOutcome failed(Message message, int attempt, Throwable failure) {
    if (attempt >= maxAttempts) {
      log.warn("Gave up dispatching inbound message {} after {} attempts: {}", message.id(), attempt, failure.toString());
      return MessageStore.DispatchOutcome.settled(message.id(), MessageStore.DispatchState.ABANDONED, null);
    }
    log.warn("Dispatch {} of inbound message {} failed; offered again later: {}", attempt, message.id(), failure.toString());
    return new MessageStore.DispatchOutcome(message.id(), MessageStore.DispatchState.PENDING, null, retry.delay(attempt));
  }

  private JobOutcome counted(Message message, MessageStore.DispatchOutcome outcome, boolean recorded) {
    if (!recorded) {
      log.warn("Inbound message {} was taken over by another replica's sweep before its outcome was recorded", message.id());
      return JobOutcome.LEASE_LOST;
    }
    switch (outcome.state()) {
      case MessageStore.DispatchState.PENDING -> {
        return JobOutcome.RETRY;
      }
      case MessageStore.DispatchState.ABANDONED -> {
        abandoned.increment();
        return JobOutcome.GAVE_UP;
      }
      case MessageStore.DispatchState.UNROUTED -> unrouted.increment();
      default -> dispatched.get(outcome.handler()).increment();
    }
    return JobOutcome.DONE;
  }

  private Future<MessageStore.DispatchOutcome> offer(Message message, int index) {
    if (index == handlers.size()) {
      return Future.succeededFuture(MessageStore.DispatchOutcome.settled(message.id(), MessageStore.DispatchState.UNROUTED, null));
    }
    InboundHandler handler = handlers.get(index);
    return Future.<Void>succeededFuture()
        .compose(v -> handler.offer(message))
        .onFailure(failure -> handlerFailures.get(handler.name()).increment())
        .compose(taken -> Boolean.TRUE.equals(taken)
            ? Future.succeededFuture(MessageStore.DispatchOutcome.settled(message.id(), MessageStore.DispatchState.DISPATCHED, handler.name()))
            : offer(message, index + 1));
  }
}
