package com.smsgateway.inbound;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Inbound messages in PostgreSQL: batched inserts that store each {@code MessageSid} once, and the dispatch
 * state. A pending message is owned by one replica until its lease ends; the dispatch outcome is recorded only
 * by that owner, and a sweep takes over expired leases with {@code FOR UPDATE SKIP LOCKED}.
 */
final class InboundStore {
  static final String PENDING = "pending";
  static final String DISPATCHED = "dispatched";
  static final String UNROUTED = "unrouted";

  /** A finished dispatch: {@code handler} is set when {@code state} is dispatched. */
  record Outcome(String messageId, String state, String handler) {}

  /** One array per column, one element per webhook: a single prepared statement for every batch size. */
  private static final String INSERT_BATCH = """
      INSERT INTO messages (id, direction, twilio_sid, account_sid, from_number, to_number, body, media, num_segments,
                            status, raw_params, keyword, dispatch_state, dispatch_attempts, dispatch_owner, dispatch_lease_until)
      SELECT b.id, 'inbound', b.sid, b.account_sid, b.from_number, b.to_number, b.body, b.media::jsonb, b.num_segments,
             'received', b.raw_params::jsonb, b.keyword, b.state,
             CASE WHEN b.state = 'pending' THEN 1 ELSE 0 END,
             CASE WHEN b.state = 'pending' THEN $12::text END,
             CASE WHEN b.state = 'pending' THEN now() + $13::bigint * interval '1 millisecond' END
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[],
                  $9::text[], $10::text[], $11::text[])
          AS b(id, sid, account_sid, from_number, to_number, body, media, num_segments, raw_params, keyword, state)
      ON CONFLICT (twilio_sid) DO NOTHING
      RETURNING id, created_at
      """;
  private static final String RECORD_OUTCOMES = """
      UPDATE messages m
      SET dispatch_state = o.state, dispatched_to = o.handler, dispatch_owner = NULL, dispatch_lease_until = NULL,
          updated_at = now()
      FROM unnest($1::text[], $2::text[], $3::text[]) AS o(id, state, handler)
      WHERE m.id = o.id AND m.dispatch_state = 'pending' AND m.dispatch_owner = $4
      RETURNING m.id
      """;
  private static final String ABANDON_EXHAUSTED = """
      UPDATE messages
      SET dispatch_state = 'abandoned', dispatch_owner = NULL, dispatch_lease_until = NULL, updated_at = now()
      WHERE dispatch_state = 'pending' AND dispatch_lease_until < now() AND dispatch_attempts >= $1
      RETURNING id
      """;
  private static final String CLAIM_EXPIRED = """
      UPDATE messages m
      SET dispatch_owner = $1, dispatch_lease_until = now() + $2::bigint * interval '1 millisecond',
          dispatch_attempts = m.dispatch_attempts + 1, updated_at = now()
      FROM (SELECT id FROM messages
            WHERE dispatch_state = 'pending' AND dispatch_lease_until < now() AND dispatch_attempts < $3
            ORDER BY dispatch_lease_until
            LIMIT $4
            FOR UPDATE SKIP LOCKED) expired
      WHERE m.id = expired.id
      RETURNING m.id, m.twilio_sid, m.account_sid, m.from_number, m.to_number, m.body, m.media, m.num_segments, m.created_at
      """;
  private static final String COUNT_PENDING = """
      SELECT count(*) AS pending, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS oldest_seconds
      FROM messages WHERE dispatch_state = 'pending'
      """;

  private final Pool pool;
  /** This replica, as the owner of the leases it takes. */
  private final String owner;
  private final long leaseMillis;

  InboundStore(Pool pool, String owner, Duration lease) {
    this.pool = pool;
    this.owner = owner;
    this.leaseMillis = lease.toMillis();
  }

  /**
   * Inserts the webhooks whose {@code MessageSid} is not stored yet, pending ones leased to this replica.
   * Answers, in the webhooks' order, the stored message, or empty for a duplicate.
   */
  Future<List<Optional<InboundMessage>>> insert(SqlClient client, List<InboundWebhook> webhooks) {
    List<String> ids = webhooks.stream().map(webhook -> newId()).toList();
    Tuple params = Tuple.tuple(List.of(
        ids.toArray(String[]::new),
        column(webhooks, InboundWebhook::twilioSid),
        column(webhooks, InboundWebhook::accountSid),
        column(webhooks, InboundWebhook::from),
        column(webhooks, InboundWebhook::to),
        column(webhooks, InboundWebhook::body),
        column(webhooks, webhook -> mediaJson(webhook.media()).encode()),
        webhooks.stream().map(InboundWebhook::numSegments).toArray(Integer[]::new),
        column(webhooks, webhook -> webhook.rawParams().encode()),
        column(webhooks, webhook -> webhook.keyword().map(Keyword::word).orElse(null)),
        column(webhooks, InboundWebhook::initialDispatchState),
        owner,
        leaseMillis));
    return client.preparedQuery(INSERT_BATCH).execute(params).map(rows -> {
      Map<String, Instant> inserted = new HashMap<>();
      rows.forEach(row -> inserted.put(row.getString("id"), row.getOffsetDateTime("created_at").toInstant()));
      List<Optional<InboundMessage>> stored = new ArrayList<>(webhooks.size());
      for (int i = 0; i < webhooks.size(); i++) {
        String id = ids.get(i);
        InboundWebhook webhook = webhooks.get(i);
        stored.add(Optional.ofNullable(inserted.get(id)).map(receivedAt -> webhook.toMessage(id, receivedAt)));
      }
      return stored;
    });
  }

  /** Records the outcomes this replica still owns; answers the ids it recorded (a lost lease is left out). */
  Future<Set<String>> recordOutcomes(List<Outcome> outcomes) {
    String[] ids = outcomes.stream().map(Outcome::messageId).toArray(String[]::new);
    String[] states = outcomes.stream().map(Outcome::state).toArray(String[]::new);
    String[] handlers = outcomes.stream().map(Outcome::handler).toArray(String[]::new);
    return pool.preparedQuery(RECORD_OUTCOMES).execute(Tuple.of(ids, states, handlers, owner)).map(rows -> {
      Set<String> recorded = new HashSet<>();
      rows.forEach(row -> recorded.add(row.getString("id")));
      return recorded;
    });
  }

  /** Gives up on pending messages whose lease ended after their last attempt; answers their ids. */
  Future<List<String>> abandonExhausted(int maxAttempts) {
    return pool.preparedQuery(ABANDON_EXHAUSTED).execute(Tuple.of(maxAttempts)).map(rows -> {
      List<String> ids = new ArrayList<>();
      rows.forEach(row -> ids.add(row.getString("id")));
      return ids;
    });
  }

  /** Takes over up to {@code limit} pending messages whose lease ended (an attempt each), for this replica. */
  Future<List<InboundMessage>> claimExpired(int maxAttempts, int limit) {
    return pool.preparedQuery(CLAIM_EXPIRED).execute(Tuple.of(owner, leaseMillis, maxAttempts, limit)).map(rows -> {
      List<InboundMessage> claimed = new ArrayList<>();
      rows.forEach(row -> claimed.add(message(row)));
      return claimed;
    });
  }

  /** Texts pending dispatch (all replicas), and how long the oldest has waited. */
  Future<Backlog> countPending() {
    return pool.query(COUNT_PENDING).execute().map(rows -> {
      Row row = rows.iterator().next();
      return new Backlog(row.getLong("pending"), row.getDouble("oldest_seconds"));
    });
  }

  record Backlog(long pending, double oldestSeconds) {}

  private static InboundMessage message(Row row) {
    List<InboundMessage.Media> media = new ArrayList<>();
    row.getJsonArray("media").forEach(item -> {
      JsonObject attachment = (JsonObject) item;
      media.add(new InboundMessage.Media(attachment.getString("url"), attachment.getString("content_type")));
    });
    return new InboundMessage(row.getString("id"), row.getString("twilio_sid"), row.getString("account_sid"),
        row.getString("from_number"), row.getString("to_number"), row.getString("body"), media,
        row.getInteger("num_segments"), row.getOffsetDateTime("created_at").toInstant());
  }

  private static String newId() {
    return "msg_" + UUID.randomUUID().toString().replace("-", "");
  }

  private static String[] column(List<InboundWebhook> webhooks, Function<InboundWebhook, String> value) {
    return webhooks.stream().map(value).toArray(String[]::new);
  }

  private static JsonArray mediaJson(List<InboundMessage.Media> media) {
    JsonArray json = new JsonArray();
    media.forEach(item -> json.add(new JsonObject().put("url", item.url()).put("content_type", item.contentType())));
    return json;
  }
}
