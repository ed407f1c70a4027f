package com.smsgateway.calls;

import com.smsgateway.inbound.InboundHandler;
import com.smsgateway.inbound.InboundMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/**
 * Takes the texts that belong to an active call: the route (our number, the customer) leads to it, whether the
 * number is the call's agent number or its pinned pool number, and whether or not the agent texted first. A text
 * from anyone but the call's customer has no route, and a call that ended has none left, so such texts go on to
 * the next handler. Taking a text marks it with the call and queues it for the call session in one transaction.
 *
 * <p>A reply to a pool number whose call has ended belongs to that call still (the pool number's last call, kept for
 * {@code calls.pool_reuse_cooldown}): it is stored against it, listed with its texts, and not delivered to any call
 * session, least of all another workspace's.
 */
final class CallSessionHandler implements InboundHandler {
  private static final String ROUTE_TO_CALL =
      "UPDATE messages SET call_id = $2, workspace_id = coalesce(workspace_id, $3), updated_at = now() WHERE id = $1";

  private final CallRegistry calls;
  private final CallSessionDeliveries deliveries;
  private final Pool pg;
  private final Vertx vertx;
  private final Counter lateReplies;

  CallSessionHandler(CallRegistry calls, CallSessionDeliveries deliveries, Pool pg, Vertx vertx, MeterRegistry registry) {
    this.calls = calls;
    this.deliveries = deliveries;
    this.pg = pg;
    this.vertx = vertx;
    this.lateReplies = Counter.builder("gateway.calls.late_replies")
        .description("Replies to a pool number after its call ended, stored against that call (not delivered)")
        .register(registry);
  }

  @Override
  public String name() {
    return "call_session";
  }

  @Override
  public Future<Boolean> offer(InboundMessage message) {
    return calls.routedCall(message.to(), message.from())
        .compose(ref -> ref.isEmpty() ? Future.succeededFuture(Optional.<Call>empty()) : calls.find(ref.get()))
        .compose(call -> call.isPresent()
            ? take(message, call.get())
            : calls.lastPoolCall(message.to(), message.from())
                .compose(ended -> ended.isPresent() ? keepForEndedCall(message, ended.get()) : Future.succeededFuture(false)));
  }

  private Future<Boolean> keepForEndedCall(InboundMessage message, CallRef call) {
    return pg.preparedQuery(ROUTE_TO_CALL).execute(Tuple.of(message.id(), call.callId(), call.workspaceId()))
        .map(stored -> {
          lateReplies.increment();
          return true;
        });
  }

  private Future<Boolean> take(InboundMessage message, Call call) {
    return pg.withTransaction(tx -> tx.preparedQuery(ROUTE_TO_CALL).execute(Tuple.of(message.id(), call.callId(), call.workspaceId()))
            .compose(routed -> deliveries.enqueue(tx, message.id(), call.callId(), call.workspaceId(), message.receivedAt())))
        .map(queued -> {
          CallSessionDeliveryVerticle.wake(vertx);
          return true;
        });
  }
}
