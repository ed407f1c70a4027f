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
import java.time.ZoneOffset;
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
  static final String ABANDONED = "abandoned";

  /**
   * A dispatch attempt's outcome: {@code handler} is set when {@code state} is dispatched; a {@code pending} outcome is a
   * failed attempt, offered again after {@code retryAfter}.
   */
  record Outcome(String messageId, String state, String handler, Duration retryAfter) {
    static Outcome settled(String messageId, String state, String handler) {
      return new Outcome(messageId, state, handler, Duration.ZERO);
    }
  }

  /** A pending message claimed for its {@code attempt}th dispatch. */
  record Claimed(InboundMessage message, int attempt) {}

  /** One array per column, one element per webhook: a single prepared statement for every batch size. */
  private static final String INSERT_BATCH = """
      INSERT INTO messages (id, direction, twilio_sid, account_sid, from_number, to_number, body, media, num_segments,
                            status, raw_params, keyword, dispatch_state, dispatch_attempts, lease_owner, lease_until)
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
  /** A pending outcome (a failed attempt) frees the lease and is due again after its retry pause ($4 ms). */
  private static final String RECORD_OUTCOMES = """
      UPDATE messages m
      SET dispatch_state = o.state, dispatched_to = o.handler, lease_owner = NULL,
          lease_until = CASE WHEN o.state = 'pending' THEN now() + o.retry_ms * interval '1 millisecond' END,
          updated_at = now()
      FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS o(id, state, handler, retry_ms)
      WHERE m.id = o.id AND m.dispatch_state = 'pending' AND m.lease_owner = $5
      RETURNING m.id
      """;
  /** Pending messages whose last attempt's lease ran out without an outcome (its replica died). */
  private static final String ABANDON_EXHAUSTED = """
      UPDATE messages
      SET dispatch_state = 'abandoned', lease_owner = NULL, lease_until = NULL, updated_at = now()
      WHERE dispatch_state = 'pending' AND lease_until < now() AND dispatch_attempts >= $1
      RETURNING id
      """;
  private static final String CLAIM_DUE = """
      UPDATE messages m
      SET lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond',
          dispatch_attempts = m.dispatch_attempts + 1, updated_at = now()
      FROM (SELECT id FROM messages
            WHERE dispatch_state = 'pending' AND lease_until < now() AND dispatch_attempts < $3
            ORDER BY lease_until
            LIMIT $4
            FOR UPDATE SKIP LOCKED) due
      WHERE m.id = due.id
      RETURNING m.id, m.twilio_sid, m.account_sid, m.from_number, m.to_number, m.body, m.media, m.num_segments, m.created_at,
                m.dispatch_attempts
      """;
  /** Abandoned inbound messages by id or by arrival window, pending again and due at once, with fresh attempts. */
  private static final String REDELIVER = """
      UPDATE messages
      SET dispatch_state = 'pending', dispatch_attempts = 0, lease_owner = NULL, lease_until = now(), updated_at = now()
      WHERE direction = 'inbound' AND dispatch_state = 'abandoned'
        AND (id = ANY($1::text[]) OR (created_at >= $2 AND created_at < $3))
      """;
  private static final String COUNT_PENDING = "SELECT count(*) FROM messages WHERE dispatch_state = 'pending'";

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
    Long[] retryMillis = outcomes.stream().map(outcome -> outcome.retryAfter().toMillis()).toArray(Long[]::new);
    return pool.preparedQuery(RECORD_OUTCOMES).execute(Tuple.of(ids, states, handlers, retryMillis, owner)).map(rows -> {
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

  /**
   * Leases to {@code owner} up to {@code limit} pending messages whose lease or retry pause ended (an attempt each);
   * the sweep that takes over a dead replica's messages and retries failed ones.
   */
  Future<List<Claimed>> claimDue(String owner, int maxAttempts, int limit) {
    return pool.preparedQuery(CLAIM_DUE).execute(Tuple.of(owner, leaseMillis, maxAttempts, limit)).map(rows -> {
      List<Claimed> claimed = new ArrayList<>();
      rows.forEach(row -> claimed.add(new Claimed(message(row), row.getInteger("dispatch_attempts"))));
      return claimed;
    });
  }

  /**
   * Makes abandoned messages pending again, due at once with fresh attempts: those with the given ids, or those
   * received in {@code [since, until)}. Answers how many.
   */
  Future<Integer> redeliver(List<String> ids, Instant since, Instant until) {
    return pool.preparedQuery(REDELIVER).execute(Tuple.of(ids.toArray(String[]::new),
            since == null ? null : since.atOffset(ZoneOffset.UTC), until == null ? null : until.atOffset(ZoneOffset.UTC)))
        .map(rows -> rows.rowCount());
  }

  Future<Long> countPending() {
    return pool.query(COUNT_PENDING).execute().map(rows -> rows.iterator().next().getLong(0));
  }

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
