package com.smsgateway.calls;

import com.smsgateway.outbound.SmsMessage;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * A call's texts, both directions, oldest first, from the {@code messages} table: those of {@code workspaceId}'s call when
 * given (call ids are unique per workspace only), else of every call with that id.
 */
final class CallMessages {
  private static final String BY_CALL = """
      SELECT * FROM messages WHERE call_id = $1 AND ($2::text IS NULL OR workspace_id = $2)
      ORDER BY created_at, id
      """;

  private final Pool pg;

  CallMessages(Pool pg) {
    this.pg = pg;
  }

  Future<List<SmsMessage>> of(String callId, String workspaceId) {
    return pg.preparedQuery(BY_CALL).execute(Tuple.of(callId, workspaceId))
        .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(SmsMessage::fromRow).toList());
  }
}
