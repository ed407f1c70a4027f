package com.smsgateway.chats;

import com.smsgateway.domain.DomainFailure;
import com.smsgateway.outbound.OutboundPipeline;
import com.smsgateway.outbound.OutboundRequest;
import com.smsgateway.outbound.WorkspaceSendingNumbers;
import com.smsgateway.messages.Message;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Sends a chat's texts (the agent's replies, the auto-close text) from the chat's number through the outbound pipeline
 * (opt-out, segments, limits, outbox), and reads the pipeline's refusals the chat work treats specially.
 */
final class ChatReplies {
  private final OutboundPipeline pipeline;
  private final WorkspaceSendingNumbers sendingNumbers;

  ChatReplies(OutboundPipeline pipeline, WorkspaceSendingNumbers sendingNumbers) {
    this.pipeline = pipeline;
    this.sendingNumbers = sendingNumbers;
  }

  /** The stored outbound message, queued for sending; fails with the pipeline's refusal. */
  Future<Message> send(Chat chat, String content) {
    return sendingNumbers.of(chat.workspaceId(), chat.agentNumber()).compose(sender -> sender.isEmpty()
        ? Future.failedFuture(DomainFailure.conflict("sender_not_allowed",
            chat.agentNumber() + " cannot send SMS for workspace " + chat.workspaceId() + " (not enabled, or no longer its number)"))
        : pipeline.submit(new OutboundRequest(chat.workspaceId(), sender.get(), chat.customerNumber(), content, List.of(),
            Optional.empty(), Optional.of(chat.id()))));
  }

  /** When a segment-limit refusal says the text may be sent again; empty for any other failure. */
  static Optional<Instant> retryAt(Throwable failure) {
    if (!(failure instanceof DomainFailure domain) || domain.kind() != DomainFailure.Kind.LIMITED) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(domain.details().getString("retry_at")).map(Instant::parse);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether the pipeline refused because the customer opted out of the chat's number. */
  static boolean optedOut(Throwable failure) {
    return failure instanceof DomainFailure domain && "recipient_opted_out".equals(domain.code());
  }
}
