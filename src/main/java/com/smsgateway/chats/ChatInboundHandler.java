package com.smsgateway.chats;

import com.smsgateway.inbound.InboundHandler;
import com.smsgateway.messages.Message;
import com.smsgateway.optout.OptOutRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Offered the texts no call took: when the receiving number has a chat agent, the text joins the open chat of
 * (number, customer) or starts one, in one transaction (the chat row locked, the text attached and queued for the next
 * turn). A number without a chat agent, or a customer who opted out of it (until START), leaves the text to the next
 * handler (none: unrouted).
 */
final class ChatInboundHandler implements InboundHandler {
  private final ChatStore store;
  private final ChatMessages messages;
  private final OptOutRegistry optOuts;
  private final ChatMetrics metrics;
  private final Vertx vertx;

  ChatInboundHandler(ChatStore store, ChatMessages messages, OptOutRegistry optOuts, ChatMetrics metrics, Vertx vertx) {
    this.store = store;
    this.messages = messages;
    this.optOuts = optOuts;
    this.metrics = metrics;
    this.vertx = vertx;
  }

  @Override
  public String name() {
    return "chat";
  }

  @Override
  public Future<Boolean> offer(Message message) {
    return store.numberSettings(message.toNumber()).compose(settings -> {
      if (settings.isEmpty() || settings.get().chatAgentId() == null || settings.get().workspaceId() == null) {
        return Future.succeededFuture(false);
      }
      return optOuts.isOptedOut(message.toNumber(), message.fromNumber())
          .compose(optedOut -> optedOut ? Future.succeededFuture(false) : take(message, settings.get()));
    });
  }

  private Future<Boolean> take(Message message, ChatStore.NumberSettings number) {
    ChatStore.NewChat candidate = new ChatStore.NewChat(number.workspaceId(), number.chatAgentId(), message.toNumber(), message.fromNumber(),
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
