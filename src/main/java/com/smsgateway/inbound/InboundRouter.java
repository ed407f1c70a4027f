package com.smsgateway.inbound;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers a pending message to the handlers in order until one takes it, then records the outcome:
 * dispatched to that handler, or unrouted when none took it. A handler's failure records nothing: the
 * message stays pending and its lease runs out, so a sweep offers it again.
 */
final class InboundRouter {
  private static final Logger log = LoggerFactory.getLogger(InboundRouter.class);

  private final List<InboundHandler> handlers;
  private final GroupCommit<InboundStore.Outcome, Boolean> outcomes;
  private final MeterRegistry registry;
  private final Counter unrouted;

  InboundRouter(List<InboundHandler> handlers, GroupCommit<InboundStore.Outcome, Boolean> outcomes, MeterRegistry registry) {
    this.handlers = List.copyOf(handlers);
    this.outcomes = outcomes;
    this.registry = registry;
    this.unrouted = Counter.builder("gateway.inbound.unrouted").description("Inbound texts no handler took")
        .baseUnit("messages").register(registry);
    // Every handler's counters exist from the start at 0, so rates and alerts see them before the first event.
    this.handlers.forEach(handler -> {
      dispatched(handler.name());
      handlerFailures(handler.name());
    });
  }

  /** Completes when the attempt is over; it never fails (a failed attempt leaves the message to the sweep). */
  Future<Void> dispatch(InboundMessage message) {
    return offer(message, 0)
        .compose(outcome -> outcomes.submit(outcome).map(recorded -> {
          if (!recorded) {
            log.warn("Inbound message {} was taken over by another replica's sweep before its outcome was recorded", message.id());
          } else if (outcome.handler() == null) {
            unrouted.increment();
          } else {
            dispatched(outcome.handler()).increment();
          }
          return (Void) null;
        }))
        .recover(failure -> {
          log.warn("Dispatch of inbound message {} failed; it stays pending for the sweep: {}", message.id(), failure.toString());
          return Future.succeededFuture();
        });
  }

  private Future<InboundStore.Outcome> offer(InboundMessage message, int index) {
    if (index == handlers.size()) {
      return Future.succeededFuture(new InboundStore.Outcome(message.id(), InboundStore.UNROUTED, null));
    }
    InboundHandler handler = handlers.get(index);
    return Future.<Void>succeededFuture()
        .compose(v -> handler.offer(message))
        .onFailure(failure -> handlerFailures(handler.name()).increment())
        .compose(taken -> Boolean.TRUE.equals(taken)
            ? Future.succeededFuture(new InboundStore.Outcome(message.id(), InboundStore.DISPATCHED, handler.name()))
            : offer(message, index + 1));
  }

  private Counter dispatched(String handler) {
    return Counter.builder("gateway.inbound.dispatched").description("Inbound texts a handler took, by handler")
        .baseUnit("messages").tag("handler", handler).register(registry);
  }

  private Counter handlerFailures(String handler) {
    return Counter.builder("gateway.inbound.dispatch.failures").description("Inbound handler offers that failed, by handler")
        .tag("handler", handler).register(registry);
  }
}
