package com.smsgateway.chats;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One conversation between a number's chat agent and a customer, as stored ({@code chats}), with the work state the
 * chat's leased work needs.
 *
 * @param webhookState     {@code pending} while the customer's inbound webhook has not decided about the new chat
 * @param pendingResponses the agent's answer still to be sent, in order
 */
record Chat(
    String id,
    String workspaceId,
    String agentId,
    String agentNumber,
    String customerNumber,
    String status,
    String endReason,
    JsonObject dynamicVariables,
    JsonObject metadata,
    Instant startedAt,
    Instant endedAt,
    String webhookState,
    int attempts,
    int turns,
    List<String> pendingResponses,
    boolean pendingEndChat) {

  static final String ONGOING = "ongoing";
  static final String ERROR = "error";
  static final String ENDED = "ended";

  boolean webhookPending() {
    return "pending".equals(webhookState);
  }

  static Chat fromRow(Row row) {
    JsonArray pending = row.getJsonArray("pending_responses");
    return new Chat(
        row.getString("id"),
        row.getString("workspace_id"),
        row.getString("agent_id"),
        row.getString("agent_number"),
        row.getString("customer_number"),
        row.getString("status"),
        row.getString("end_reason"),
        row.getJsonObject("dynamic_variables"),
        row.getJsonObject("metadata"),
        instant(row.getOffsetDateTime("started_at")),
        instant(row.getOffsetDateTime("ended_at")),
        row.getString("webhook_state"),
        row.getInteger("attempts"),
        row.getInteger("turns"),
        pending.stream().map(String::valueOf).toList(),
        row.getBoolean("pending_end_chat"));
  }

  /** The chat as the API shows it (DESIGN.md §7); {@code messages} null leaves them out (lists). */
  JsonObject toJson(List<ChatMessage> messages) {
    JsonObject json = new JsonObject()
        .put("chat_id", id)
        .put("chat_type", "sms_chat")
        .put("chat_status", status)
        .put("end_reason", endReason)
        .put("workspace_id", workspaceId)
        .put("agent_id", agentId)
        .put("agent_number", agentNumber)
        .put("customer_number", customerNumber)
        .put("dynamic_variables", dynamicVariables)
        .put("metadata", metadata)
        .put("start_timestamp", startedAt.toString())
        .put("end_timestamp", endedAt == null ? null : endedAt.toString());
    if (messages != null) {
      json.put("messages", new JsonArray(messages.stream().map(ChatMessage::toJson).toList()));
    }
    return json;
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
