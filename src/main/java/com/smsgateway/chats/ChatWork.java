package com.smsgateway.chats;

import com.smsgateway.work.JobOutcome;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One piece of leased work on a chat (run by {@link ChatWorkWorker}): for a new chat with an inbound webhook, the
 * webhook's decision; then an agent turn, whose replies are sent in order before the chat's next turn may start. A chat
 * is worked on under one lease owner at a time, so there is never more than one turn of a chat at once; texts arriving
 * meanwhile are answered by the next turn. Every write names the owner: a job that lost its lease changes nothing.
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
  private final Clock clock;

  ChatWork(ChatStore store, ChatMessages messages, ChatAgentClient agent, InboundWebhookClient webhook, ChatReplies replies,
           ChatMetrics metrics, ChatsConfig config, Clock clock) {
    this.store = store;
    this.messages = messages;
    this.agent = agent;
    this.webhook = webhook;
    this.replies = replies;
    this.metrics = metrics;
    this.config = config;
    this.clock = clock;
  }

  /** Leases up to {@code limit} due chats: webhook decisions always, agent turns only when an agent is configured. */
  Future<List<Chat>> claim(String owner, int limit) {
    return store.claimDue(owner, config.lease().toMillis(), limit, config.agentUrl().isPresent());
  }

  /** Works on one claimed chat and records the outcome under {@code owner}'s lease. */
  Future<JobOutcome> process(Chat chat, String owner) {
    if (chat.webhookPending()) {
      return askWebhook(chat, owner);
    }
    return chat.pendingResponses().isEmpty() ? takeTurn(chat, owner) : sendReplies(chat, owner);
  }

  private Future<JobOutcome> askWebhook(Chat chat, String owner) {
    return store.numberSettings(chat.agentNumber()).compose(settings -> {
      Optional<String> url = settings.map(ChatStore.NumberSettings::inboundWebhookUrl);
      if (url.isEmpty()) {
        return decided(chat, owner, InboundWebhookClient.Decision.ACCEPT, ChatMetrics.WEBHOOK_ACCEPTED);
      }
      return messages.history(chat.id()).compose(history -> history.isEmpty()
          ? decided(chat, owner, InboundWebhookClient.Decision.ACCEPT, ChatMetrics.WEBHOOK_ACCEPTED)
          : webhook.ask(url.get(), chat, history.get(0)).transform(answer -> {
              if (answer.succeeded()) {
                InboundWebhookClient.Decision decision = answer.result();
                if (decision.reject()) {
                  return store.reject(chat.id(), owner, messages).map(rejected -> {
                    if (!rejected) {
                      return JobOutcome.LEASE_LOST;
                    }
                    metrics.webhook(ChatMetrics.WEBHOOK_REJECTED);
                    return JobOutcome.DONE;
                  });
                }
                return decided(chat, owner, decision,
                    decision.overrideAgentId() != null ? ChatMetrics.WEBHOOK_OVERRIDDEN : ChatMetrics.WEBHOOK_ACCEPTED);
              }
              String error = "inbound webhook: " + message(answer.cause());
              if (chat.attempts() < config.webhookRetries().tries()) {
                return retryLater(chat, owner, config.webhookRetries().backoff().delay(chat.attempts()), false, error);
              }
              log.warn("Chat {}: the inbound webhook failed {} time(s), the number's own agent answers: {}", chat.id(), chat.attempts(), error);
              return decided(chat, owner, InboundWebhookClient.Decision.ACCEPT, ChatMetrics.WEBHOOK_FAILED);
            }));
    });
  }

  /** Records the webhook's decision and goes on with the chat's first turn under the same lease. */
  private Future<JobOutcome> decided(Chat chat, String owner, InboundWebhookClient.Decision decision, String outcome) {
    return store.webhookDecided(chat.id(), owner, decision.overrideAgentId(), decision.dynamicVariables(), decision.metadata())
        .compose(updated -> {
          if (updated.isEmpty()) {
            return Future.succeededFuture(JobOutcome.LEASE_LOST);
          }
          metrics.webhook(outcome);
          return config.agentUrl().isPresent() ? takeTurn(updated.get(), owner) : finish(chat, owner);
        });
  }

  private Future<JobOutcome> takeTurn(Chat chat, String owner) {
    return messages.history(chat.id()).compose(history -> {
      long throughSeq = history.stream().filter(ChatMessage::unanswered).mapToLong(ChatMessage::seq).max().orElse(0);
      return agent.ask(chat, history).transform(answer -> answer.succeeded()
          ? store.answered(chat.id(), owner, answer.result().responses(), answer.result().endChat(), throughSeq)
              .compose(answered -> answered.isEmpty() ? Future.succeededFuture(JobOutcome.LEASE_LOST) : sendReplies(answered.get(), owner))
          : failedTry(chat, owner, "chat agent: " + message(answer.cause())));
    });
  }

  /** Sends the pending responses one by one, in order; each is recorded before the next is sent. */
  private Future<JobOutcome> sendReplies(Chat chat, String owner) {
    if (chat.pendingResponses().isEmpty()) {
      return chat.pendingEndChat() ? end(chat, owner, END_AGENT) : finish(chat, owner);
    }
    return replies.send(chat, chat.pendingResponses().get(0)).transform(sent -> {
      if (sent.succeeded()) {
        metrics.replySent();
        return store.replySent(chat.id(), owner, sent.result().id(), chat.turns(), messages)
            .compose(recorded -> recorded ? sendReplies(withoutFirstResponse(chat), owner) : Future.succeededFuture(JobOutcome.LEASE_LOST));
      }
      Throwable failure = sent.cause();
      if (ChatReplies.optedOut(failure)) {
        return end(chat, owner, END_OPTED_OUT);
      }
      Optional<Instant> retryAt = ChatReplies.retryAt(failure);
      if (retryAt.isPresent()) {
        metrics.replyDeferred();
        Duration wait = Duration.between(clock.instant(), retryAt.get());
        return retryLater(chat, owner, wait.isNegative() ? Duration.ZERO : wait, true,
            "reply refused by a segment limit until " + retryAt.get());
      }
      return failedTry(chat, owner, "sending the agent's reply: " + message(failure));
    });
  }

  /** A failed try of a turn (asking the agent or sending its replies): retried with backoff, then the chat shows error. */
  private Future<JobOutcome> failedTry(Chat chat, String owner, String error) {
    if (chat.attempts() < config.agentRetries().tries()) {
      return retryLater(chat, owner, config.agentRetries().backoff().delay(chat.attempts()), false, error);
    }
    log.warn("Chat {}: the turn failed after {} tries; the chat shows error until the customer's next text: {}", chat.id(), chat.attempts(), error);
    return store.fail(chat.id(), owner, error).map(failed -> {
      if (!failed) {
        return JobOutcome.LEASE_LOST;
      }
      metrics.turnFailed();
      return JobOutcome.GAVE_UP;
    });
  }

  private Future<JobOutcome> retryLater(Chat chat, String owner, Duration wait, boolean noFailure, String reason) {
    return store.retryLater(chat.id(), owner, wait.toMillis(), noFailure, reason)
        .map(recorded -> recorded ? JobOutcome.RETRY : JobOutcome.LEASE_LOST);
  }

  private Future<JobOutcome> finish(Chat chat, String owner) {
    return store.finishWork(chat.id(), owner).map(finished -> finished ? JobOutcome.DONE : JobOutcome.LEASE_LOST);
  }

  private Future<JobOutcome> end(Chat chat, String owner, String reason) {
    return store.end(chat.id(), reason, owner).map(ended -> {
      ended.ifPresent(e -> metrics.ended(reason, e.messageCount()));
      return ended.isPresent() ? JobOutcome.DONE : JobOutcome.LEASE_LOST;
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
