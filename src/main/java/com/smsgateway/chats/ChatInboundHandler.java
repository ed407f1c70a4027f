package com.smsgateway.chats;

import com.smsgateway.inbound.InboundHandler;
import com.smsgateway.inbound.InboundRoute;
import com.smsgateway.messages.Message;
import com.smsgateway.optout.OptOutRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import com.smsgateway.numbers.NumberChanges;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Offered the texts no call took: when the receiving number has a chat agent, the text joins the open chat of
 * (number, customer) or starts one, in one transaction (the chat row locked, the text attached and queued for the next
 * turn). A number without a chat agent, or a customer who opted out of it (until START), leaves the text to the next
 * handler (none: unrouted). A number's chat settings are read once per {@code chats.number_settings_cache_ttl}: every
 * inbound text not taken by a call asks, and most numbers have no chat agent, so without it each text costs a query.
 */
final class ChatInboundHandler implements InboundHandler {
  private final ChatStore store;
  private final ChatMessages messages;
  private final OptOutRegistry optOuts;
  private final ChatMetrics metrics;
  private final Vertx vertx;
  private final long cacheTtlNanos;
  private final Map<String, CachedSettings> settingsByNumber = new ConcurrentHashMap<>();

  private record CachedSettings(Optional<ChatStore.NumberSettings> settings, long readAtNanos) {}

  /** Bounds the cache: beyond this many numbers it starts again empty (a lookup is only a query). */
  private static final int MAX_CACHED_NUMBERS = 100_000;

  ChatInboundHandler(ChatStore store, ChatMessages messages, OptOutRegistry optOuts, ChatMetrics metrics, Vertx vertx,
                     Duration numberSettingsCacheTtl) {
    this.store = store;
    this.messages = messages;
    this.optOuts = optOuts;
    this.metrics = metrics;
    this.vertx = vertx;
    this.cacheTtlNanos = numberSettingsCacheTtl.toNanos();
    NumberChanges.onChange(vertx, settingsByNumber::remove);
  }

  private Future<Optional<ChatStore.NumberSettings>> numberSettings(String phoneNumber) {
    long now = System.nanoTime();
    CachedSettings cached = settingsByNumber.get(phoneNumber);
    if (cached != null && now - cached.readAtNanos() < cacheTtlNanos) {
      return Future.succeededFuture(cached.settings());
    }
    return store.numberSettings(phoneNumber).onSuccess(settings -> {
      if (cacheTtlNanos > 0) {
        if (settingsByNumber.size() >= MAX_CACHED_NUMBERS) {
          settingsByNumber.clear();
        }
        settingsByNumber.put(phoneNumber, new CachedSettings(settings, now));
      }
    });
  }

  @Override
  public String name() {
    return "chat";
  }

  /**
   * The routes to numbers with a chat agent (whether the customer opted out is left to the offer), from the cached
   * settings the offer reads too; a number missing from the cache is read once for the batch.
   */
  @Override
  public Future<Set<InboundRoute>> mayTake(Set<InboundRoute> routes) {
    Map<String, Future<Optional<ChatStore.NumberSettings>>> settings = new HashMap<>();
    routes.forEach(route -> settings.computeIfAbsent(route.ourNumber(), this::numberSettings));
    return Future.all(List.copyOf(settings.values())).map(read -> routes.stream()
        .filter(route -> hasChatAgent(settings.get(route.ourNumber()).result()))
        .collect(Collectors.toSet()));
  }

  private static boolean hasChatAgent(Optional<ChatStore.NumberSettings> settings) {
    return settings.isPresent() && settings.get().chatAgentId() != null && settings.get().workspaceId() != null;
  }

  @Override
  public Future<Boolean> offer(Message message) {
    return numberSettings(message.toNumber()).compose(settings -> {
      if (!hasChatAgent(settings)) {
        return Future.succeededFuture(false);
      }
      return optOuts.isOptedOut(message.toNumber(), message.fromNumber())
          .compose(optedOut -> optedOut ? Future.succeededFuture(false) : take(message, settings.get()));
    });
  }

  private Future<Boolean> take(Message message, ChatStore.NumberSettings number) {
    ChatStore.NewChat candidate = new ChatStore.NewChat(ChatStore.newId(), number.workspaceId(), number.chatAgentId(), message.toNumber(), message.fromNumber(),
        "inbound", number.inboundWebhookUrl() != null, new JsonObject(), new JsonObject());
    return store.pool().withTransaction(tx -> store.joinOrOpen(tx, candidate)
            .compose(joined -> messages.attachInbound(tx, message.id(), joined.chat().id(), joined.chat().workspaceId()).map(joined)))
        .map(joined -> {
          if (joined.opened()) {
            metrics.started("inbound");
          }
          ChatWorkWorker.wake(vertx);
          return true;
        });
  }
}
