package com.smsgateway.inbound;

import com.smsgateway.messages.Message;
import io.vertx.core.Future;

/**
 * Takes inbound texts of one kind (a live call's session, a number's chat agent). The router offers each
 * stored text to the handlers in their order until one takes it. Handlers are registered at composition
 * ({@code Gateway}); opt-out keyword texts are never offered.
 */
public interface InboundHandler {
  /** Names the handler in the stored {@code dispatched_to} and in metrics. */
  String name();

  /**
   * True: the handler took the message (it is then marked dispatched to this handler); false: not this
   * handler's, the next is asked. A failed future leaves the message pending, and the sweep offers it again
   * later; so a handler that takes a message must make its own work durable before answering true, and
   * answer within {@code inbound.dispatch_grace}.
   */
  Future<Boolean> offer(Message message);
}
