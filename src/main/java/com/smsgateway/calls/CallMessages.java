package com.smsgateway.calls;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.stream.StreamSupport;

/** A call's texts, both directions, oldest first, from the {@code messages} table (seen by {@code workspaceId} when given). */
final class CallMessages {
  private static final String BY_CALL = """
      SELECT id, direction, from_number, to_number, body, media, num_segments, encoding, status, created_at
      FROM messages WHERE call_id = $1 AND ($2::text IS NULL OR workspace_id = $2)
      ORDER BY created_at, id
      """;

  private final Pool pg;

  CallMessages(Pool pg) {
    this.pg = pg;
  }

  Future<List<JsonObject>> of(String callId, String workspaceId) {
    return pg.preparedQuery(BY_CALL).execute(Tuple.of(callId, workspaceId))
        .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(row -> toJson(callId, row)).toList());
  }

  private static JsonObject toJson(String callId, Row row) {
    Object media = row.getValue("media");
    return new JsonObject()
        .put("message_id", row.getString("id"))
        .put("call_id", callId)
        .put("direction", row.getString("direction"))
        .put("from_number", row.getString("from_number"))
        .put("to_number", row.getString("to_number"))
        .put("body", row.getString("body"))
        .put("media", media instanceof JsonArray array ? array : new JsonArray())
        .put("segments", row.getInteger("num_segments"))
        .put("encoding", row.getString("encoding"))
        .put("status", row.getString("status"))
        .put("created_at", row.getOffsetDateTime("created_at").toInstant().toString());
  }
}
