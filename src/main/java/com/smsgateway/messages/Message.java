package com.smsgateway.messages;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A stored text of either direction: what handlers of inbound texts are offered and what the API shows.
 *
 * @param accountSid the Twilio account it came in on or goes out through
 * @param fromNumber the sender (for an inbound text, the customer)
 * @param toNumber   the recipient (for an inbound text, our number)
 * @param body       the text ({@code ""} for media only)
 * @param segments   segments counted (outbound) or Twilio's {@code NumSegments} (inbound; null when not sent)
 * @param createdAt  when the gateway stored it (for an inbound text, when it was received)
 */
public record Message(
    String id,
    String direction,
    String accountSid,
    String workspaceId,
    String fromNumber,
    String toNumber,
    String body,
    List<Media> media,
    Integer segments,
    String encoding,
    String status,
    Integer errorCode,
    String errorMessage,
    String twilioSid,
    String callId,
    String chatId,
    Instant createdAt,
    Instant updatedAt) {

  public static final String INBOUND = "inbound";
  public static final String OUTBOUND = "outbound";

  public Message {
    media = List.copyOf(media);
  }

  /** One MMS attachment: Twilio's {@code MediaUrlN} and {@code MediaContentTypeN} (null when not known). */
  public record Media(String url, String contentType) {}

  /** Maps a row of the {@code messages} table (all its columns, e.g. {@code SELECT *}). */
  static Message fromRow(Row row) {
    return new Message(
        row.getString("id"),
        row.getString("direction"),
        row.getString("account_sid"),
        row.getString("workspace_id"),
        row.getString("from_number"),
        row.getString("to_number"),
        row.getString("body"),
        media(row.getValue("media")),
        row.getInteger("num_segments"),
        row.getString("encoding"),
        row.getString("status"),
        row.getInteger("error_code"),
        row.getString("error_message"),
        row.getString("twilio_sid"),
        row.getString("call_id"),
        row.getString("chat_id"),
        row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("updated_at").toInstant());
  }

  static List<Media> media(Object column) {
    List<Media> media = new ArrayList<>();
    if (column instanceof JsonArray array) {
      array.forEach(item -> {
        JsonObject attachment = (JsonObject) item;
        media.add(new Media(attachment.getString("url"), attachment.getString("content_type")));
      });
    }
    return media;
  }

  /** {@code [{url, content_type}]}, as stored and as the API and the call sessions show it. */
  public static JsonArray mediaJson(List<Media> media) {
    JsonArray json = new JsonArray();
    media.forEach(item -> json.add(new JsonObject().put("url", item.url()).put("content_type", item.contentType())));
    return json;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("message_id", id)
        .put("direction", direction)
        .put("workspace_id", workspaceId)
        .put("from_number", fromNumber)
        .put("to_number", toNumber)
        .put("body", body)
        .put("media", mediaJson(media))
        .put("segments", segments)
        .put("encoding", encoding)
        .put("status", status)
        .put("error_code", errorCode)
        .put("error_message", errorMessage)
        .put("twilio_sid", twilioSid)
        .put("call_id", callId)
        .put("chat_id", chatId)
        .put("created_at", createdAt.toString())
        .put("updated_at", updatedAt.toString());
  }
}
