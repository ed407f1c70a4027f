package com.smsgateway.chats;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leased work on chats, as a plain job (claim a batch, process one, record its outcome under the lease), so it runs
 * on any replica: for a new chat with an inbound webhook, the webhook's decision; then agent turns, each sending its
 * replies in order before the chat's next turn may start. A chat is worked on by one lease owner at a time, so there is
 * never more than one turn of a chat at once; texts arriving meanwhile are answered by the next turn.
 */
final class ChatWork {
  private static final Logger log = LoggerFactory.getLogger(ChatWork.class);
  private static final int MAX_ERROR_LENGTH = 500;

  static final String END_AGENT = "agent_ended";
  static final String END_OPTED_OUT = "opted_out";

  private final ChatStore store;
  private final ChatMessages messages;
  private final ChatAgentClient agent;
  private final InboundWebhookClient webhook;
  private final ChatReplies replies;
  private final ChatMetrics metrics;
  private final ChatsConfig config;
  private final String owner;

  ChatWork(ChatStore store, ChatMessages messages, ChatAgentClient agent, InboundWebhookClient webhook, ChatReplies replies,
           ChatMetrics metrics, ChatsConfig config, String owner) {
    this.store = store;
    this.messages = messages;
    this.agent = agent;
    this.webhook = webhook;
    this.replies = replies;
    this.metrics = metrics;
    this.config = config;
    this.owner = owner;
  }

  Future<List<Chat>> claim() {
    return store.claimDue(owner, config.lease().toMillis(), config.batchSize(), config.agentUrl().isPresent());
  }

  /** Works on one claimed chat; never fails (trouble is recorded on the chat, or its lease runs out). */
  Future<Void> process(Chat chat) {
    Future<Void> work;
    if (chat.webhookPending()) {
      work = askWebhook(chat);
    } else if (!chat.pendingResponses().isEmpty()) {
      work = sendReplies(chat);
    } else {
      work = takeTurn(chat);
    }
    return work.recover(e -> {
      log.warn("Chat {}: recording the outcome of its work failed; its lease will run out and it is retried: {}", chat.id(), e.toString());
      return Future.succeededFuture();
    });
  }

  private Future<Void> askWebhook(Chat chat) {
    return store.numberSettings(chat.agentNumber()).compose(settings -> {
      Optional<String> url = settings.map(ChatStore.NumberSettings::inboundWebhookUrl);
      if (url.isEmpty()) {
        return decided(chat, InboundWebhookClient.Decision.ACCEPT, ChatMetrics.WEBHOOK_ACCEPTED);
      }
      return messages.history(chat.id()).compose(history -> history.isEmpty()
          ? decided(chat, InboundWebhookClient.Decision.ACCEPT, ChatMetrics.WEBHOOK_ACCEPTED)
          : webhook.ask(url.get(), chat, history.get(0)).transform(answer -> {
              if (answer.succeeded()) {
                InboundWebhookClient.Decision decision = answer.result();
                if (decision.reject()) {
                  return store.reject(chat.id(), owner, messages).map(rejected -> {
                    if (rejected) {
                      metrics.webhook(ChatMetrics.WEBHOOK_REJECTED);
                    }
                    return (Void) null;
                  });
                }
                return decided(chat, decision,
                    decision.overrideAgentId() != null ? ChatMetrics.WEBHOOK_OVERRIDDEN : ChatMetrics.WEBHOOK_ACCEPTED);
              }
              String error = "inbound webhook: " + message(answer.cause());
              if (chat.attempts() < config.webhookRetries().tries()) {
                return store.retryLater(chat.id(), owner, config.webhookRetries().backoffAfter(chat.attempts()).toMillis(), false, error)
                    .mapEmpty();
              }
              log.warn("Chat {}: the inbound webhook failed {} time(s), the number's own agent answers: {}", chat.id(), chat.attempts(), error);
              return decided(chat, InboundWebhookClient.Decision.ACCEPT, ChatMetrics.WEBHOOK_FAILED);
            }));
    });
  }

  /** Records the webhook's decision and goes on with the chat's first turn under the same lease. */
  private Future<Void> decided(Chat chat, InboundWebhookClient.Decision decision, String outcome) {
    return store.webhookDecided(chat.id(), owner, decision.overrideAgentId(), decision.dynamicVariables(), decision.metadata())
        .compose(updated -> {
          if (updated.isEmpty()) {
            return Future.succeededFuture();
          }
          metrics.webhook(outcome);
          return config.agentUrl().isPresent() ? takeTurn(updated.get()) : store.finishWork(chat.id(), owner).mapEmpty();
        });
  }

  private Future<Void> takeTurn(Chat chat) {
    return messages.history(chat.id()).compose(history -> {
      long throughSeq = history.stream().filter(ChatMessage::unanswered).mapToLong(ChatMessage::seq).max().orElse(0);
      return agent.ask(chat, history).transform(answer -> answer.succeeded()
          ? store.answered(chat.id(), owner, answer.result().responses(), answer.result().endChat(), throughSeq)
              .compose(answered -> answered.isEmpty() ? Future.succeededFuture() : sendReplies(answered.get()))
          : failedTry(chat, "chat agent: " + message(answer.cause())));
    });
  }

  /** Sends the pending responses one by one, in order; each is recorded before the next is sent. */
  private Future<Void> sendReplies(Chat chat) {
    if (chat.pendingResponses().isEmpty()) {
      return chat.pendingEndChat()
          ? store.end(chat.id(), END_AGENT, owner).map(ended -> {
              ended.ifPresent(e -> metrics.ended(END_AGENT, e.messageCount()));
              return (Void) null;
            })
          : store.finishWork(chat.id(), owner).mapEmpty();
    }
    String content = chat.pendingResponses().get(0);
    return replies.send(chat, content).transform(sent -> {
      if (sent.succeeded()) {
        metrics.replySent();
        return store.replySent(chat.id(), owner, sent.result().id(), chat.turns(), messages)
            .compose(recorded -> recorded ? sendReplies(withoutFirstResponse(chat)) : Future.succeededFuture());
      }
      Throwable failure = sent.cause();
      if (ChatReplies.optedOut(failure)) {
        return store.end(chat.id(), END_OPTED_OUT, owner).map(ended -> {
          ended.ifPresent(e -> metrics.ended(END_OPTED_OUT, e.messageCount()));
          return (Void) null;
        });
      }
      Optional<Instant> retryAt = ChatReplies.retryAt(failure);
      if (retryAt.isPresent()) {
        metrics.replyDeferred();
        long delay = Math.max(0, Duration.between(Instant.now(), retryAt.get()).toMillis());
        return store.retryLater(chat.id(), owner, delay, true, "reply refused by a segment limit until " + retryAt.get()).mapEmpty();
      }
      return failedTry(chat, "sending the agent's reply: " + message(failure));
    });
  }

  /** A failed try of a turn (asking the agent or sending its replies): retried with backoff, then the chat shows error. */
  private Future<Void> failedTry(Chat chat, String error) {
    if (chat.attempts() < config.agentRetries().tries()) {
      return store.retryLater(chat.id(), owner, config.agentRetries().backoffAfter(chat.attempts()).toMillis(), false, error).mapEmpty();
    }
    log.warn("Chat {}: the turn failed after {} tries; the chat shows error until the customer's next text: {}", chat.id(), chat.attempts(), error);
    return store.fail(chat.id(), owner, error).map(failed -> {
      if (failed) {
        metrics.turnFailed();
      }
      return (Void) null;
    });
  }

  private static Chat withoutFirstResponse(Chat chat) {
    return new Chat(chat.id(), chat.workspaceId(), chat.agentId(), chat.agentNumber(), chat.customerNumber(), chat.status(),
        chat.endReason(), chat.dynamicVariables(), chat.metadata(), chat.startedAt(), chat.endedAt(), chat.webhookState(),
        chat.attempts(), chat.turns(), chat.pendingResponses().subList(1, chat.pendingResponses().size()), chat.pendingEndChat());
  }

  private static String message(Throwable failure) {
    String text = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
  }
}
