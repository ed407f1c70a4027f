package com.smsgateway.inbound;

import com.smsgateway.messages.Message;
import com.smsgateway.messages.MessageStore;
import com.smsgateway.optout.OptOutRegistry;
import com.smsgateway.metrics.CounterFamily;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Stores a batch of inbound webhooks in one transaction: the messages (each {@code MessageSid} once) and, for
 * each newly stored keyword text, its opt-out or opt-in (and what {@link OptOutListener}s do about an opt-out), so a
 * message and its effects commit together. The batch's route decision ({@link InboundRouting}) comes first: a text no
 * handler could take is stored {@code unrouted} and is done; only the others are stored pending, to be dispatched.
 */
final class InboundIngest {
  private final Pool pool;
  private final MessageStore messages;
  /** This replica: a new pending text is leased to it for its first dispatch, for {@code lease}. */
  private final String owner;
  private final Duration lease;
  private final OptOutRegistry optOuts;
  private final List<OptOutListener> optOutListeners;
  private final InboundRouting routing;
  private final CounterFamily keywords;
  private final Counter received;
  private final Counter duplicates;
  private final Counter unrouted;

  InboundIngest(Pool pool, MessageStore messages, String owner, Duration lease, OptOutRegistry optOuts,
                List<OptOutListener> optOutListeners, InboundRouting routing, InboundMeters meters) {
    MeterRegistry registry = meters.registry();
    this.pool = pool;
    this.messages = messages;
    this.owner = owner;
    this.lease = lease;
    this.optOuts = optOuts;
    this.optOutListeners = List.copyOf(optOutListeners);
    this.routing = routing;
    this.unrouted = meters.unrouted();
    this.keywords = CounterFamily.of(registry, "gateway.inbound.opt_out_keywords",
        "Inbound compliance keyword texts stored (STOP, START, HELP, ...), by keyword", "messages", "keyword");
    this.received = Counter.builder("gateway.inbound.received").description("Inbound texts stored (first copy of each MessageSid)")
        .baseUnit("messages").register(registry);
    this.duplicates = Counter.builder("gateway.inbound.duplicates").description("Inbound webhooks repeating a stored MessageSid")
        .baseUnit("messages").register(registry);
  }

  /**
   * Answers, in the webhooks' order and once all are committed, the stored message to hand to the dispatcher, or empty:
   * a duplicate, a keyword text, or a text stored unrouted.
   */
  Future<List<Optional<Message>>> writeBatch(List<InboundWebhook> webhooks) {
    Set<InboundRoute> routes = webhooks.stream().filter(webhook -> webhook.keyword().isEmpty()).map(InboundWebhook::route)
        .collect(Collectors.toSet());
    return routing.unrouted(routes).compose(unroutable -> store(webhooks, unroutable));
  }

  private Future<List<Optional<Message>>> store(List<InboundWebhook> webhooks, Set<InboundRoute> unroutable) {
    List<MessageStore.NewInbound> texts = webhooks.stream().map(webhook -> webhook.toNewInbound(unroutable.contains(webhook.route()))).toList();
    // A lone INSERT commits atomically by itself; a transaction is needed only to commit opt-outs with their texts.
    Future<List<Optional<Message>>> written = webhooks.stream().noneMatch(webhook -> webhook.keyword().isPresent())
        ? messages.insertInbound(pool, texts, owner, lease)
        : pool.withTransaction(tx -> messages.insertInbound(tx, texts, owner, lease)
            .compose(stored -> applyKeywords(tx, webhooks, stored).map(stored)));
    return written.map(stored -> {
      count(webhooks, texts, stored);
      List<Optional<Message>> toDispatch = new ArrayList<>(stored.size());
      for (int i = 0; i < stored.size(); i++) {
        toDispatch.add(MessageStore.DispatchState.PENDING.equals(texts.get(i).dispatchState()) ? stored.get(i) : Optional.empty());
      }
      return toDispatch;
    });
  }

  /** In arrival order, so a STOP and a later START of one customer in the same batch end opted in. */
  private Future<Void> applyKeywords(SqlClient tx, List<InboundWebhook> webhooks, List<Optional<Message>> stored) {
    Future<Void> applied = Future.succeededFuture();
    for (int i = 0; i < webhooks.size(); i++) {
      InboundWebhook webhook = webhooks.get(i);
      if (stored.get(i).isPresent() && webhook.keyword().isPresent()) {
        Keyword keyword = webhook.keyword().get();
        applied = applied.compose(v -> switch (keyword.action()) {
          case OPT_OUT -> optOuts.optOut(tx, webhook.to(), webhook.from(), keyword.word())
              .compose(optedOut -> notifyOptOut(tx, webhook.to(), webhook.from(), 0));
          case OPT_IN -> optOuts.optIn(tx, webhook.to(), webhook.from(), keyword.word());
          case HELP -> Future.succeededFuture();
        });
      }
    }
    return applied;
  }

  private Future<Void> notifyOptOut(SqlClient tx, String ourNumber, String customer, int index) {
    return index == optOutListeners.size()
        ? Future.succeededFuture()
        : optOutListeners.get(index).optedOut(tx, ourNumber, customer).compose(v -> notifyOptOut(tx, ourNumber, customer, index + 1));
  }

  private void count(List<InboundWebhook> webhooks, List<MessageStore.NewInbound> texts, List<Optional<Message>> stored) {
    for (int i = 0; i < webhooks.size(); i++) {
      if (stored.get(i).isEmpty()) {
        duplicates.increment();
        continue;
      }
      received.increment();
      if (MessageStore.DispatchState.UNROUTED.equals(texts.get(i).dispatchState())) {
        unrouted.increment();
      }
      webhooks.get(i).keyword().ifPresent(keyword -> keywords.with(keyword.word()).increment());
    }
  }
}
