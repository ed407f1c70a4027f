package com.smsgateway.inbound;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route decision of a batch of texts about to be stored: which of them no handler could take. Those are stored
 * {@code unrouted} by the INSERT itself and never offered, so the common text (to a number with no call and no chat
 * agent) costs one statement rather than an INSERT and an outcome UPDATE. Every handler is asked once per batch about
 * the batch's distinct routes, all at once. A handler that fails or does not answer within
 * {@code inbound.route_decision_timeout} is taken to want every text, so those go the pending way (leased, offered after
 * the commit, retried, swept) as before: a failed lookup costs the second write, never a text.
 */
final class InboundRouting {
  private static final Logger log = LoggerFactory.getLogger(InboundRouting.class);

  private final List<InboundHandler> handlers;
  private final long timeoutMillis;
  private final Map<String, Counter> failures = new HashMap<>();

  InboundRouting(List<InboundHandler> handlers, Duration timeout, InboundMeters meters) {
    this.handlers = List.copyOf(handlers);
    this.timeoutMillis = timeout.toMillis();
    this.handlers.forEach(handler -> failures.put(handler.name(), meters.routeDecisionFailures(handler.name())));
  }

  /** The routes among {@code routes} no handler might take; never fails. */
  Future<Set<InboundRoute>> unrouted(Set<InboundRoute> routes) {
    if (routes.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    Set<InboundRoute> asked = Set.copyOf(routes);
    List<Future<Set<InboundRoute>>> wanted = handlers.stream().map(handler -> ask(handler, asked)).toList();
    return Future.all(wanted).map(all -> {
      Set<InboundRoute> unrouted = new HashSet<>(asked);
      wanted.forEach(handler -> unrouted.removeAll(handler.result()));
      return unrouted;
    });
  }

  private Future<Set<InboundRoute>> ask(InboundHandler handler, Set<InboundRoute> routes) {
    return Future.<Void>succeededFuture()
        .compose(v -> handler.mayTake(routes))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .recover(failure -> {
          failures.get(handler.name()).increment();
          // Debug only: an outage fails every batch, and the counter (with the dependency's health) reports it.
          log.debug("Route decision of handler {} failed; its {} route(s) are dispatched after the commit: {}",
              handler.name(), routes.size(), failure.toString());
          return Future.succeededFuture(routes);
        });
  }
}
