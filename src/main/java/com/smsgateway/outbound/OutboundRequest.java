package com.smsgateway.outbound;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A text to send, from any sender: the outbound API, in-call SMS, chat replies.
 *
 * @param workspaceId the workspace the text belongs to (its scoping and, for platform numbers, its brand)
 * @param body        the text; may be empty when {@code mediaUrls} are given
 * @param mediaUrls   MMS media, absolute http(s) URLs
 * @param callId      the call the text belongs to, if any
 * @param chatId      the chat the text belongs to, if any
 * @param messageId   the id to store it under when the request fixes one (an {@code Idempotency-Key}'s, so that a
 *                    retry after a crash finds the text an earlier run stored); else a new one
 */
public record OutboundRequest(
    String workspaceId,
    SendingNumber sender,
    String toNumber,
    String body,
    List<String> mediaUrls,
    Optional<String> callId,
    Optional<String> chatId,
    Optional<String> messageId) {

  public OutboundRequest {
    Objects.requireNonNull(workspaceId, "workspaceId");
    Objects.requireNonNull(sender, "sender");
    body = Objects.requireNonNullElse(body, "");
    mediaUrls = mediaUrls == null ? List.of() : List.copyOf(mediaUrls);
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(chatId, "chatId");
    Objects.requireNonNull(messageId, "messageId");
  }

  /** A text stored under a new id. */
  public OutboundRequest(String workspaceId, SendingNumber sender, String toNumber, String body, List<String> mediaUrls,
                         Optional<String> callId, Optional<String> chatId) {
    this(workspaceId, sender, toNumber, body, mediaUrls, callId, chatId, Optional.empty());
  }
}
