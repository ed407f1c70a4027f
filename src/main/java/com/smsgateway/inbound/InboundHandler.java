package com.smsgateway.inbound;

import com.smsgateway.messages.Message;
import io.vertx.core.Future;
import java.util.Set;

/**
 * Takes inbound texts of one kind (a live call's session, a number's chat agent). The router offers each
 * stored text to the handlers in their order until one takes it. Handlers are registered at composition
 * ({@code Gateway}); opt-out keyword texts are never offered.
 */
public interface InboundHandler {
  /** Names the handler in the stored {@code dispatched_to} and in metrics. */
  String name();

  /**
   * Asked once per stored batch, before its INSERT: the routes among {@code routes} whose texts this handler might
   * take when offered. A text no handler might take is stored {@code unrouted} and never offered, so it needs no second
   * write. The answer must be cheap (at most one round trip to Redis, or a cache) and may only err towards yes: a yes
   * costs the usual dispatch, a wrong no loses the text to {@code unrouted}. A failed or late answer counts as yes for
   * every route. The default (yes to all) suits a handler that cannot tell without the stored message.
   */
  default Future<Set<InboundRoute>> mayTake(Set<InboundRoute> routes) {
    return Future.succeededFuture(routes);
  }

  /**
   * True: the handler took the message (it is then marked dispatched to this handler); false: not this
   * handler's, the next is asked. A failed future leaves the message pending, and the sweep offers it again
   * later; so a handler that takes a message must make its own work durable before answering true, and
   * answer within {@code inbound.dispatch_grace}.
   */
  Future<Boolean> offer(Message message);
}
