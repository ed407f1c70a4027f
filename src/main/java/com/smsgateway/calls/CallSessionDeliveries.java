package com.smsgateway.calls;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * The delivery state of texts received during calls ({@code call_session_deliveries}), in PostgreSQL so any
 * replica can resume another's work. Per call only the oldest undelivered text is offered (order is preserved);
 * it is claimed with a lease, {@code FOR UPDATE SKIP LOCKED}, so two replicas never deliver it at once.
 */
public final class CallSessionDeliveries {
  /**
   * A text that exhausted its tries goes back in line (ahead of the new one, by age) when its call gets another.
   * Call ids are unique per workspace only: the call is (call_id, the texts' workspace).
   */
  private static final String REQUEUE_UNDELIVERED = """
      UPDATE call_session_deliveries d SET state = 'pending', attempts = 0, next_attempt_at = now()
      FROM messages text
      WHERE d.call_id = $1 AND d.state = 'undelivered_to_call' AND text.id = d.message_id AND text.workspace_id IS NOT DISTINCT FROM $2
      """;
  private static final String ENQUEUE = """
      INSERT INTO call_session_deliveries (message_id, call_id, received_at) VALUES ($1, $2, $3)
      ON CONFLICT (message_id) DO NOTHING
      """;
  private static final String CLAIM = """
      WITH due AS (
        SELECT d.message_id FROM call_session_deliveries d
        JOIN messages text ON text.id = d.message_id
        WHERE d.state = 'pending' AND d.next_attempt_at <= now()
          AND (d.lease_until IS NULL OR d.lease_until < now())
          AND NOT EXISTS (
            SELECT 1 FROM call_session_deliveries older
            JOIN messages older_text ON older_text.id = older.message_id
            WHERE older.call_id = d.call_id AND older_text.workspace_id IS NOT DISTINCT FROM text.workspace_id AND older.state = 'pending'
              AND (older.received_at, older.seq) < (d.received_at, d.seq))
          -- An earlier text of the same conversation whose dispatch has not happened yet (its hand-off failed; a
          -- sweep retries it) may still join this call: wait for it, so the session gets the texts in order.
          AND NOT EXISTS (
            SELECT 1 FROM messages earlier
            WHERE earlier.direction = 'inbound' AND earlier.dispatch_state = 'pending'
              AND earlier.to_number = text.to_number AND earlier.from_number = text.from_number
              AND earlier.created_at < text.created_at)
        ORDER BY d.next_attempt_at
        LIMIT $2
        FOR UPDATE OF d SKIP LOCKED)
      UPDATE call_session_deliveries d
      SET lease_owner = $1, lease_until = now() + make_interval(secs => $3), attempts = d.attempts + 1
      FROM due, messages m
      WHERE d.message_id = due.message_id AND m.id = d.message_id
      RETURNING d.message_id, d.call_id, m.workspace_id, d.attempts, d.received_at, m.from_number, m.to_number, m.body, m.media
      """;
  private static final String DELIVERED = """
      UPDATE call_session_deliveries
      SET state = 'delivered', delivered_at = now(), lease_owner = NULL, lease_until = NULL, last_error = NULL
      WHERE message_id = $1 AND lease_owner = $2 AND state = 'pending'
      """;
  private static final String RETRY = """
      UPDATE call_session_deliveries
      SET next_attempt_at = now() + make_interval(secs => $3), lease_owner = NULL, lease_until = NULL, last_error = $4
      WHERE message_id = $1 AND lease_owner = $2 AND state = 'pending'
      """;
  private static final String UNDELIVERED = """
      UPDATE call_session_deliveries
      SET state = 'undelivered_to_call', lease_owner = NULL, lease_until = NULL, last_error = $3
      WHERE message_id = $1 AND lease_owner = $2 AND state = 'pending'
      """;
  private static final String STATE = "SELECT state, attempts FROM call_session_deliveries WHERE message_id = $1";

  private final Pool pool;

  public CallSessionDeliveries(Pool pool) {
    this.pool = pool;
  }

  /** A text taken off the queue for one delivery attempt. */
  record Claimed(String messageId, String callId, String workspaceId, int attempt, Instant receivedAt, String fromNumber, String toNumber,
                 String body, JsonArray media) {}

  /** Delivery state of one text: {@code pending}, {@code delivered} or {@code undelivered_to_call}. */
  public record State(String state, int attempts) {}

  /**
   * Queues a text for its call's session, in the caller's transaction (so the text is routed to the call and
   * queued together). Queuing the same text twice queues it once.
   */
  public Future<Void> enqueue(SqlClient client, String messageId, String callId, String workspaceId, Instant receivedAt) {
    return client.preparedQuery(REQUEUE_UNDELIVERED).execute(Tuple.of(callId, workspaceId))
        .compose(requeued -> client.preparedQuery(ENQUEUE).execute(Tuple.of(messageId, callId, receivedAt.atOffset(ZoneOffset.UTC))))
        .mapEmpty();
  }

  Future<List<Claimed>> claim(String owner, int limit, Duration lease) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(owner, limit, lease.toMillis() / 1000.0))
        .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(CallSessionDeliveries::toClaimed).toList());
  }

  Future<Boolean> delivered(String messageId, String owner) {
    return pool.preparedQuery(DELIVERED).execute(Tuple.of(messageId, owner)).map(rows -> rows.rowCount() == 1);
  }

  Future<Boolean> retryLater(String messageId, String owner, Duration delay, String error) {
    return pool.preparedQuery(RETRY).execute(Tuple.of(messageId, owner, delay.toMillis() / 1000.0, error))
        .map(rows -> rows.rowCount() == 1);
  }

  Future<Boolean> undelivered(String messageId, String owner, String error) {
    return pool.preparedQuery(UNDELIVERED).execute(Tuple.of(messageId, owner, error)).map(rows -> rows.rowCount() == 1);
  }

  public Future<Optional<State>> state(String messageId) {
    return pool.preparedQuery(STATE).execute(Tuple.of(messageId)).map(rows -> {
      var it = rows.iterator();
      if (!it.hasNext()) {
        return Optional.empty();
      }
      Row row = it.next();
      return Optional.of(new State(row.getString("state"), row.getInteger("attempts")));
    });
  }

  private static Claimed toClaimed(Row row) {
    Object media = row.getValue("media");
    return new Claimed(
        row.getString("message_id"),
        row.getString("call_id"),
        row.getString("workspace_id"),
        row.getInteger("attempts"),
        row.getOffsetDateTime("received_at").toInstant(),
        row.getString("from_number"),
        row.getString("to_number"),
        row.getString("body"),
        media instanceof JsonArray array ? array : new JsonArray());
  }
}
