package com.smsgateway.chats;

import com.smsgateway.work.JobOutcome;
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
  private final Clock clock;

  SilenceSweep(ChatStore store, ChatMessages messages, ChatReplies replies, ChatMetrics metrics, ChatsConfig config, Clock clock) {
    this.store = store;
    this.messages = messages;
    this.replies = replies;
    this.metrics = metrics;
    this.config = config;
    this.clock = clock;
  }

  /** Leases up to {@code limit} chats silent by this sweep's clock. */
  Future<List<ChatStore.Silent>> claim(String owner, int limit) {
    return store.claimSilent(clock.instant(), config.endAfterSilence().toSeconds(), owner, config.lease().toMillis(), limit);
  }

  /** Sends the closing text (if any; a refusal does not keep the chat open) and ends the chat. */
  Future<JobOutcome> close(ChatStore.Silent silent, String owner) {
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
      return ended.isPresent() ? JobOutcome.DONE : JobOutcome.LEASE_LOST;
    });
  }

  /** One pass with this sweep's clock (tests move the clock instead of waiting); answers how many chats it ended. */
  Future<Integer> sweepOnce(String owner) {
    return claim(owner, config.batchSize())
        .compose(silent -> Future.all(silent.stream().map(chat -> close(chat, owner)).toList()))
        .map(done -> (int) done.list().stream().filter(JobOutcome.DONE::equals).count());
  }
}
