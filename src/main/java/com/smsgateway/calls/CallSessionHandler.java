package com.smsgateway.calls;

import com.smsgateway.inbound.InboundHandler;
import com.smsgateway.messages.Message;
import com.smsgateway.messages.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.Optional;

/**
 * Takes the texts that belong to an active call: the route (our number, the customer) leads to it, whether the
 * number is the call's agent number or its pinned pool number, and whether or not the agent texted first. A text
 * from anyone but the call's customer has no route, and a call that ended has none left, so such texts go on to
 * the next handler. Taking a text marks it with the call and queues it for the call session in one transaction.
 */
final class CallSessionHandler implements InboundHandler {
  private final CallRegistry calls;
  private final CallSessionDeliveries deliveries;
  private final MessageStore messages;
  private final Pool pg;
  private final Vertx vertx;

  CallSessionHandler(CallRegistry calls, CallSessionDeliveries deliveries, MessageStore messages, Pool pg, Vertx vertx) {
    this.calls = calls;
    this.deliveries = deliveries;
    this.messages = messages;
    this.pg = pg;
    this.vertx = vertx;
  }

  @Override
  public String name() {
    return "call_session";
  }

  @Override
  public Future<Boolean> offer(Message message) {
    return calls.routedCall(message.toNumber(), message.fromNumber())
        .compose(callId -> callId.isEmpty() ? Future.succeededFuture(Optional.<Call>empty()) : calls.find(callId.get()))
        .compose(call -> call.isEmpty() ? Future.succeededFuture(false) : take(message, call.get()));
  }

  private Future<Boolean> take(Message message, Call call) {
    return pg.withTransaction(tx -> messages.routeToCall(tx, message.id(), call.callId(), call.workspaceId())
            .compose(routed -> deliveries.enqueue(tx, message.id(), call.callId(), message.createdAt())))
        .map(queued -> {
          CallSessionDeliveryWorker.wake(vertx);
          return true;
        });
  }
}
