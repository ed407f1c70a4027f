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
 */
public record OutboundRequest(
    String workspaceId,
    SendingNumber sender,
    String toNumber,
    String body,
    List<String> mediaUrls,
    Optional<String> callId,
    Optional<String> chatId) {

  public OutboundRequest {
    Objects.requireNonNull(workspaceId, "workspaceId");
    Objects.requireNonNull(sender, "sender");
    body = Objects.requireNonNullElse(body, "");
    mediaUrls = mediaUrls == null ? List.of() : List.copyOf(mediaUrls);
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(chatId, "chatId");
  }
}
