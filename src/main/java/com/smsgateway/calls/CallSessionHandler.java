package com.smsgateway.calls;

import com.smsgateway.inbound.InboundHandler;
import com.smsgateway.inbound.InboundRoute;
import com.smsgateway.messages.Message;
import com.smsgateway.messages.MessageStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
  private final CallRegistry calls;
  private final CallSessionDeliveries deliveries;
  private final MessageStore messages;
  private final Pool pg;
  private final Vertx vertx;
  private final Counter lateReplies;

  CallSessionHandler(CallRegistry calls, CallSessionDeliveries deliveries, MessageStore messages, Pool pg, Vertx vertx,
                     MeterRegistry registry) {
    this.calls = calls;
    this.deliveries = deliveries;
    this.messages = messages;
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

  /**
   * The routes of a live call or of a pool number's last call, looked up for all customers at once (one MGET each).
   * A call registered between this answer and the text's commit misses the text, which the customer sent before the
   * call existed; as when the text was dispatched a moment before the registration.
   */
  @Override
  public Future<Set<InboundRoute>> mayTake(Set<InboundRoute> routes) {
    Map<String, List<String>> numbersByCustomer = routes.stream().collect(
        Collectors.groupingBy(InboundRoute::customerNumber, Collectors.mapping(InboundRoute::ourNumber, Collectors.toList())));
    List<Future<Stream<InboundRoute>>> lookups = numbersByCustomer.entrySet().stream()
        .map(customer -> calls.numbersWithCall(customer.getKey(), customer.getValue())
            .map(numbers -> numbers.stream().map(number -> new InboundRoute(number, customer.getKey()))))
        .toList();
    return Future.all(lookups).map(done -> lookups.stream().flatMap(Future::result).collect(Collectors.toSet()));
  }

  @Override
  public Future<Boolean> offer(Message message) {
    return calls.routedCall(message.toNumber(), message.fromNumber())
        .compose(ref -> ref.isEmpty() ? Future.succeededFuture(Optional.<Call>empty()) : calls.find(ref.get()))
        .compose(call -> call.isPresent()
            ? take(message, call.get())
            : calls.lastPoolCall(message.toNumber(), message.fromNumber())
                .compose(ended -> ended.isPresent() ? keepForEndedCall(message, ended.get()) : Future.succeededFuture(false)));
  }

  private Future<Boolean> keepForEndedCall(Message message, CallRef call) {
    return messages.routeToCall(pg, message.id(), call.callId(), call.workspaceId())
        .map(stored -> {
          lateReplies.increment();
          return true;
        });
  }

  private Future<Boolean> take(Message message, Call call) {
    return pg.withTransaction(tx -> messages.routeToCall(tx, message.id(), call.callId(), call.workspaceId())
            .compose(routed -> deliveries.enqueue(tx, message.id(), call.callId(), call.workspaceId(), message.createdAt())))
        .map(queued -> {
          CallSessionDeliveryWorker.wake(vertx);
          return true;
        });
  }
}
