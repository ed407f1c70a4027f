package com.smsgateway.calls;

import com.smsgateway.messages.Message;
import com.smsgateway.messages.MessageStore;
import io.vertx.core.Future;
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
   * Call ids are unique per workspace only: a call is (workspace_id, call_id).
   */
  private static final String REQUEUE_UNDELIVERED = """
      UPDATE call_session_deliveries SET state = 'pending', attempts = 0, next_attempt_at = now()
      WHERE call_id = $1 AND workspace_id IS NOT DISTINCT FROM $2 AND state = 'undelivered_to_call'
      """;
  private static final String ENQUEUE = """
      INSERT INTO call_session_deliveries (message_id, call_id, workspace_id, received_at) VALUES ($1, $2, $3, $4)
      ON CONFLICT (message_id) DO NOTHING
      """;
  /**
   * The oldest undelivered text of each call, due and not leased; it also waits while an earlier text of the same
   * conversation may still join the call (its dispatch is pending and due within $4 ms: a messages operation).
   */
  private static final String CLAIM = """
      WITH due AS (
        SELECT d.message_id FROM call_session_deliveries d
        WHERE d.state = 'pending' AND d.next_attempt_at <= now()
          AND (d.lease_until IS NULL OR d.lease_until < now())
          AND NOT EXISTS (
            SELECT 1 FROM call_session_deliveries older
            WHERE older.call_id = d.call_id AND older.workspace_id IS NOT DISTINCT FROM d.workspace_id AND older.state = 'pending'
              AND (older.received_at, older.seq) < (d.received_at, d.seq))
          AND NOT messages_older_text_pending_dispatch(d.message_id, $4)
        ORDER BY d.next_attempt_at
        LIMIT $2
        FOR UPDATE OF d SKIP LOCKED)
      UPDATE call_session_deliveries d
      SET lease_owner = $1, lease_until = now() + $3 * interval '1 millisecond', attempts = d.attempts + 1
      FROM due
      WHERE d.message_id = due.message_id
      RETURNING d.message_id, d.call_id, d.attempts, d.received_at
      """;
  private static final String DELIVERED = """
      UPDATE call_session_deliveries
      SET state = 'delivered', delivered_at = now(), lease_owner = NULL, lease_until = NULL, last_error = NULL
      WHERE message_id = $1 AND lease_owner = $2 AND state = 'pending'
      """;
  private static final String RETRY = """
      UPDATE call_session_deliveries
      SET next_attempt_at = now() + $3 * interval '1 millisecond', lease_owner = NULL, lease_until = NULL, last_error = $4
      WHERE message_id = $1 AND lease_owner = $2 AND state = 'pending'
      """;
  private static final String UNDELIVERED = """
      UPDATE call_session_deliveries
      SET state = 'undelivered_to_call', lease_owner = NULL, lease_until = NULL, last_error = $3
      WHERE message_id = $1 AND lease_owner = $2 AND state = 'pending'
      """;
  private static final String BACKLOG = """
      SELECT count(*) AS pending, coalesce(extract(epoch FROM now() - min(received_at)), 0)::float8 AS oldest_seconds
      FROM call_session_deliveries WHERE state = 'pending'
      """;
  private static final String STATE = "SELECT state, attempts FROM call_session_deliveries WHERE message_id = $1";

  private final Pool pool;
  private final MessageStore messages;

  public CallSessionDeliveries(Pool pool, MessageStore messages) {
    this.pool = pool;
    this.messages = messages;
  }

  /** A text taken off the queue for one delivery attempt. */
  record Claimed(String callId, int attempt, Instant receivedAt, Message text) {
    String messageId() {
      return text.id();
    }
  }

  /** Delivery state of one text: {@code pending}, {@code delivered} or {@code undelivered_to_call}. */
  public record State(String state, int attempts) {}

  /**
   * Queues a text for its call's session, in the caller's transaction (so the text is routed to the call and
   * queued together). Queuing the same text twice queues it once.
   */
  public Future<Void> enqueue(SqlClient client, String messageId, String callId, String workspaceId, Instant receivedAt) {
    return client.preparedQuery(REQUEUE_UNDELIVERED).execute(Tuple.of(callId, workspaceId))
        .compose(requeued -> client.preparedQuery(ENQUEUE).execute(Tuple.of(messageId, callId, workspaceId, receivedAt.atOffset(ZoneOffset.UTC))))
        .mapEmpty();
  }

  /** Leases to {@code owner} up to {@code limit} due texts, each the oldest undelivered one of its call. */
  Future<List<Claimed>> claim(String owner, int limit, Duration lease, Duration orderWait) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(owner, limit, lease.toMillis(), orderWait.toMillis())).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(List.of());
      }
      List<Row> claimed = StreamSupport.stream(rows.spliterator(), false).toList();
      return messages.findAll(claimed.stream().map(row -> row.getString("message_id")).toList()).map(texts -> claimed.stream()
          .map(row -> new Claimed(row.getString("call_id"), row.getInteger("attempts"), row.getOffsetDateTime("received_at").toInstant(),
              texts.get(row.getString("message_id"))))
          .toList());
    });
  }

  Future<Boolean> delivered(String messageId, String owner) {
    return pool.preparedQuery(DELIVERED).execute(Tuple.of(messageId, owner)).map(rows -> rows.rowCount() == 1);
  }

  Future<Boolean> retryLater(String messageId, String owner, Duration delay, String error) {
    return pool.preparedQuery(RETRY).execute(Tuple.of(messageId, owner, delay.toMillis(), error))
        .map(rows -> rows.rowCount() == 1);
  }

  Future<Boolean> undelivered(String messageId, String owner, String error) {
    return pool.preparedQuery(UNDELIVERED).execute(Tuple.of(messageId, owner, error)).map(rows -> rows.rowCount() == 1);
  }

  /** Texts waiting for delivery to their call session (all replicas), and how long the oldest has waited. */
  Future<Backlog> backlog() {
    return pool.query(BACKLOG).execute().map(rows -> {
      var row = rows.iterator().next();
      return new Backlog(row.getLong("pending"), row.getDouble("oldest_seconds"));
    });
  }

  record Backlog(long pending, double oldestSeconds) {}

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
}
