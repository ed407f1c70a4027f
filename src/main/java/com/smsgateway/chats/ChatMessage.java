package com.smsgateway.chats;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A text of a chat: the customer's ({@code user}) or the agent's ({@code agent}).
 *
 * @param turn  the agent turn it belongs to; null for a customer's text no turn has answered yet
 * @param media {@code [{url, content_type}]}
 */
record ChatMessage(String messageId, String role, String content, JsonArray media, String status, Instant createdAt, long seq,
                   Integer turn) {
  static final String USER = "user";
  static final String AGENT = "agent";

  boolean unanswered() {
    return USER.equals(role) && turn == null;
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("message_id", messageId)
        .put("role", role)
        .put("content", content)
        .put("media", media)
        .put("status", status)
        .put("created_at", createdAt.toString());
  }

  /** As the chat agent sees it. */
  JsonObject toAgentJson() {
    return new JsonObject()
        .put("role", role)
        .put("content", content)
        .put("media", media)
        .put("created_at", createdAt.toString());
  }
}
