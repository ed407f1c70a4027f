package com.smsgateway.chats;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends chats that stayed silent for their number's {@code end_after_silence} (else {@code chats.end_after_silence}),
 * sending the number's {@code auto_close_message} first when it has one. Leased like the other chat work, so a chat is
 * closed once and never while a turn holds it; the clock is injected so the rule can be tested without waiting.
 */
final class SilenceSweep {
  private static final Logger log = LoggerFactory.getLogger(SilenceSweep.class);
  static final String END_SILENCE = "silence";

  private final ChatStore store;
  private final ChatMessages messages;
  private final ChatReplies replies;
  private final ChatMetrics metrics;
  private final ChatsConfig config;
  private final String owner;
  private final Clock clock;

  SilenceSweep(ChatStore store, ChatMessages messages, ChatReplies replies, ChatMetrics metrics, ChatsConfig config, String owner,
               Clock clock) {
    this.store = store;
    this.messages = messages;
    this.replies = replies;
    this.metrics = metrics;
    this.config = config;
    this.owner = owner;
    this.clock = clock;
  }

  /** One pass over up to {@code chats.batch_size} silent chats; answers how many it ended. */
  Future<Integer> sweep() {
    return store.claimSilent(clock.instant(), config.endAfterSilence().toSeconds(), owner, config.lease().toMillis(), config.batchSize())
        .compose(silent -> Future.all(silent.stream().map(this::close).toList()).map(done -> (int) done.list().stream()
            .filter(Boolean.TRUE::equals).count()));
  }

  private Future<Boolean> close(ChatStore.Silent silent) {
    Chat chat = silent.chat();
    Future<Void> farewell = silent.autoCloseMessage() == null || silent.autoCloseMessage().isBlank()
        ? Future.succeededFuture()
        : replies.send(chat, silent.autoCloseMessage())
            .compose(sent -> {
              metrics.replySent();
              return messages.addAgentText(store.pool(), sent.id(), chat.id(), chat.turns());
            })
            .recover(e -> {
              log.warn("Chat {}: the auto-close text was not sent ({}); the chat ends anyway", chat.id(), e.getMessage());
              return Future.succeededFuture();
            });
    return farewell.compose(v -> store.end(chat.id(), END_SILENCE, owner)).map(ended -> {
      ended.ifPresent(e -> metrics.ended(END_SILENCE, e.messageCount()));
      return ended.isPresent();
    });
  }

}
