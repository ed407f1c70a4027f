package com.smsgateway.outbound;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;

/**
 * A stored text of either direction, as the API shows it.
 *
 * @param media {@code [{url, content_type}]}
 */
public record SmsMessage(
    String id,
    String direction,
    String workspaceId,
    String fromNumber,
    String toNumber,
    String body,
    JsonArray media,
    Integer segments,
    String encoding,
    String status,
    Integer errorCode,
    String errorMessage,
    String twilioSid,
    String callId,
    String chatId,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  /** Maps a row of the {@code messages} table (all its columns, e.g. {@code SELECT *}). */
  public static SmsMessage fromRow(Row row) {
    Object media = row.getValue("media");
    return new SmsMessage(
        row.getString("id"),
        row.getString("direction"),
        row.getString("workspace_id"),
        row.getString("from_number"),
        row.getString("to_number"),
        row.getString("body"),
        media instanceof JsonArray array ? array : new JsonArray(),
        row.getInteger("num_segments"),
        row.getString("encoding"),
        row.getString("status"),
        row.getInteger("error_code"),
        row.getString("error_message"),
        row.getString("twilio_sid"),
        row.getString("call_id"),
        row.getString("chat_id"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("updated_at"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("message_id", id)
        .put("direction", direction)
        .put("workspace_id", workspaceId)
        .put("from_number", fromNumber)
        .put("to_number", toNumber)
        .put("body", body)
        .put("media", media)
        .put("segments", segments)
        .put("encoding", encoding)
        .put("status", status)
        .put("error_code", errorCode)
        .put("error_message", errorMessage)
        .put("twilio_sid", twilioSid)
        .put("call_id", callId)
        .put("chat_id", chatId)
        .put("created_at", createdAt.toInstant().toString())
        .put("updated_at", updatedAt.toInstant().toString());
  }
}
