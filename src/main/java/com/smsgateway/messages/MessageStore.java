package com.smsgateway.messages;

import com.smsgateway.optout.OptOutRegistry;
import com.smsgateway.ratelimit.CarrierGroup;
import com.smsgateway.twilio.TwilioApiException;
import com.smsgateway.config.Config;
import com.smsgateway.db.EventLoopBatches;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The one owner of the {@code messages} table (with {@code message_status_history} and
 * {@code unmatched_status_callbacks}): every statement on them is here, as a named operation. Leased work on messages
 * follows the lease convention ({@code lease_owner}, {@code lease_until}, durations in milliseconds): inbound texts
 * are leased while dispatched, outbound texts while sent, reconciled or rechecked, and every write to a leased row
 * names the owner, so a replica that lost its lease changes nothing. Outbound state changes also append to the
 * status history in the same statement.
 */
public final class MessageStore {
  /** The status of every inbound text. */
  private static final String RECEIVED = "received";
  /** Columns of {@link Message}. */
  private static final String MESSAGE_COLUMNS = """
      id, direction, account_sid, workspace_id, from_number, to_number, body, media, num_segments, encoding, status,
      error_code, error_message, twilio_sid, call_id, chat_id, created_at, updated_at""";

  // ---- inbound texts and their dispatch ----

  /** One array per column, one element per text: a single prepared statement for every batch size. */
  private static final String INSERT_INBOUND = """
      INSERT INTO messages (id, direction, twilio_sid, account_sid, from_number, to_number, body, media, num_segments,
                            status, raw_params, keyword, dispatch_state, dispatch_attempts, lease_owner, lease_until)
      SELECT b.id, 'inbound', b.sid, b.account_sid, b.from_number, b.to_number, b.body, b.media::jsonb, b.num_segments,
             $14, b.raw_params::jsonb, b.keyword, b.state,
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
  private static final String RECORD_DISPATCH_OUTCOMES = """
      UPDATE messages m
      SET dispatch_state = o.state, dispatched_to = o.handler, lease_owner = NULL,
          lease_until = CASE WHEN o.state = 'pending' THEN now() + o.retry_ms * interval '1 millisecond' END,
          updated_at = now()
      FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS o(id, state, handler, retry_ms)
      WHERE m.id = o.id AND m.dispatch_state = 'pending' AND m.lease_owner = $5
      RETURNING m.id
      """;
  /** Pending texts whose last attempt's lease ran out without an outcome (its replica died). */
  private static final String ABANDON_EXHAUSTED_DISPATCHES = """
      UPDATE messages
      SET dispatch_state = 'abandoned', lease_owner = NULL, lease_until = NULL, updated_at = now()
      WHERE dispatch_state = 'pending' AND lease_until < now() AND dispatch_attempts >= $1
      RETURNING id
      """;
  private static final String CLAIM_DISPATCHES = """
      UPDATE messages m
      SET lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond',
          dispatch_attempts = m.dispatch_attempts + 1, updated_at = now()
      FROM (SELECT id FROM messages
            WHERE dispatch_state = 'pending' AND lease_until < now() AND dispatch_attempts < $3
            ORDER BY lease_until
            LIMIT $4
            FOR UPDATE SKIP LOCKED) due
      WHERE m.id = due.id
      RETURNING %s, m.dispatch_attempts
      """.formatted(prefixed("m.", MESSAGE_COLUMNS));
  private static final String COUNT_PENDING_DISPATCH = """
      SELECT count(*) AS pending, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS oldest_seconds
      FROM messages WHERE dispatch_state = 'pending'
      """;
  /**
   * Retention: one bounded batch of the oldest finished texts, with their status history and call-session deliveries.
   * Only an outbound text with a final status, or an inbound text whose dispatch is over and which no call session
   * still waits for; never a text that is queued, sending, sent or pending.
   */
  private static final String PURGE_FINISHED = """
      WITH doomed AS (
        SELECT m.id FROM messages m
        WHERE m.created_at < now() - $1 * interval '1 millisecond'
          AND ((m.direction = 'outbound' AND m.status IN ('delivered', 'undelivered', 'failed', 'canceled', 'read'))
            OR (m.direction = 'inbound' AND m.dispatch_state IS DISTINCT FROM 'pending'
                AND NOT EXISTS (SELECT 1 FROM call_session_deliveries d WHERE d.message_id = m.id AND d.state = 'pending')))
        ORDER BY m.created_at
        LIMIT $2
        FOR UPDATE SKIP LOCKED),
      history AS (DELETE FROM message_status_history h USING doomed WHERE h.message_id = doomed.id RETURNING 1),
      deliveries AS (DELETE FROM call_session_deliveries d USING doomed WHERE d.message_id = doomed.id RETURNING 1),
      gone AS (DELETE FROM messages m USING doomed WHERE m.id = doomed.id RETURNING 1)
      SELECT (SELECT count(*) FROM gone) AS messages, (SELECT count(*) FROM history) AS history,
             (SELECT count(*) FROM deliveries) AS deliveries
      """;
  /** Retention: one bounded batch of the oldest parked status callbacks (their MessageSid never matched a text). */
  private static final String PURGE_PARKED_CALLBACKS = """
      DELETE FROM unmatched_status_callbacks WHERE (twilio_sid, status) IN (
        SELECT twilio_sid, status FROM unmatched_status_callbacks
        WHERE received_at < now() - $1 * interval '1 millisecond'
        ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      """;
  /** Both counts use the partial indexes of the reconcile and recheck claims. */
  private static final String OUTBOUND_BACKLOG = """
      SELECT
        (SELECT count(*) FROM messages
         WHERE direction = 'outbound' AND status = 'sending' AND twilio_sid IS NULL AND lease_until < now()) AS stuck_sending,
        (SELECT count(*) FROM messages
         WHERE direction = 'outbound' AND twilio_sid IS NOT NULL
           AND NOT finished
           AND last_attempt_at < now() - $1 * interval '1 millisecond'
           AND last_attempt_at > now() - $2 * interval '1 millisecond') AS status_overdue
      """;
  /** Abandoned inbound texts by id or by arrival window: pending again and due at once, with fresh attempts. */
  private static final String REDELIVER_ABANDONED = """
      UPDATE messages
      SET dispatch_state = 'pending', dispatch_attempts = 0, lease_owner = NULL, lease_until = now(), updated_at = now()
      WHERE direction = 'inbound' AND dispatch_state = 'abandoned'
        AND (id = ANY($1::text[]) OR (created_at >= $2 AND created_at < $3))
      """;

  // ---- calls ----

  private static final String ROUTE_TO_CALL =
      "UPDATE messages SET call_id = $2, workspace_id = coalesce(workspace_id, $3), updated_at = now() WHERE id = $1";
  private static final String BY_CALL = """
      SELECT %s FROM messages WHERE call_id = $1 AND ($2::text IS NULL OR workspace_id = $2)
      ORDER BY created_at, id
      """.formatted(MESSAGE_COLUMNS);

  // ---- chats ----
  private static final String ROUTE_TO_CHAT =
      "UPDATE messages SET chat_id = $2, workspace_id = coalesce(workspace_id, $3), updated_at = now() WHERE id = $1";
  private static final String REJECT_CHAT_TEXTS =
      "UPDATE messages SET status = 'rejected', chat_id = NULL, updated_at = now() WHERE id = ANY($1::text[])";
  private static final String BY_IDS = "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE id = ANY($1::text[])";

  // ---- outbound texts: the transactional outbox ----

  /** One array per column, one element per text: the texts of concurrent requests in one statement. */
  private static final String INSERT_QUEUED = """
      WITH texts AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                             $8::int[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
                             $15::text[], $16::timestamptz[], $17::text[])
          AS t(id, account_sid, workspace_id, from_number, to_number, body, media, num_segments, encoding, call_id,
               chat_id, sender_kind, brand_id, brand_tier, carrier, charged_at, detail)),
      inserted AS (
        INSERT INTO messages (id, direction, account_sid, workspace_id, from_number, to_number, body, media,
                              num_segments, encoding, status, call_id, chat_id, sender_kind, brand_id, brand_tier,
                              carrier, charged_at, next_attempt_at)
        SELECT id, 'outbound', account_sid, workspace_id, from_number, to_number, body, media::jsonb, num_segments,
               encoding, 'queued', call_id, chat_id, sender_kind, brand_id, brand_tier, carrier, charged_at, now()
        FROM texts
        ON CONFLICT (id) DO NOTHING
        RETURNING *),
      history AS (
        INSERT INTO message_status_history (message_id, status, detail)
        SELECT inserted.id, inserted.status, texts.detail FROM inserted JOIN texts USING (id))
      SELECT * FROM inserted
      """;
  private static final String FIND = "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE id = $1";
  private static final String HISTORY =
      "SELECT status, error_code, detail, at FROM message_status_history WHERE message_id = $1 ORDER BY id";
  /**
   * Fair across workspaces, so one workspace's bulk never holds back another's texts: the groups with due texts (a
   * workspace, or '' for texts of none) are found by skipping through messages_outbox_fair_idx (V29, V30), one descent
   * each; each group's first texts, in-call before bulk and then by due time, are locked as a range of that index; the
   * batch takes them in turns (every group's first, then every group's second, ...). Each group locks at most
   * $1 - groups + 1 texts: enough for a full batch when that many are due, few to release when the batch is cut.
   */
  private static final String CLAIM_DUE = """
      WITH RECURSIVE due_groups(grp) AS (
        (SELECT coalesce(workspace_id, '') FROM messages
         WHERE direction = 'outbound' AND status = 'queued' AND next_attempt_at <= now()
         ORDER BY 1 LIMIT 1)
        UNION ALL
        SELECT (SELECT coalesce(m.workspace_id, '') FROM messages m
                WHERE m.direction = 'outbound' AND m.status = 'queued' AND m.next_attempt_at <= now()
                  AND coalesce(m.workspace_id, '') > g.grp
                ORDER BY 1 LIMIT 1)
        FROM due_groups g WHERE g.grp IS NOT NULL),
      share AS (
        SELECT greatest(1, $1 - count(*) + 1) AS per_group FROM due_groups WHERE grp IS NOT NULL),
      candidates AS (
        SELECT g.grp, c.id, c.bulk, c.next_attempt_at
        FROM due_groups g CROSS JOIN LATERAL (
          SELECT m.id, m.call_id IS NULL AS bulk, m.next_attempt_at FROM messages m
          WHERE m.direction = 'outbound' AND m.status = 'queued' AND m.next_attempt_at <= now()
            AND coalesce(m.workspace_id, '') = g.grp
          ORDER BY m.call_id IS NULL, m.next_attempt_at
          LIMIT (SELECT per_group FROM share)
          FOR UPDATE OF m SKIP LOCKED) c
        WHERE g.grp IS NOT NULL),
      due AS (
        SELECT id FROM candidates
        ORDER BY row_number() OVER (PARTITION BY grp ORDER BY bulk, next_attempt_at), bulk, next_attempt_at
        LIMIT $1),
      claimed AS (
        UPDATE messages m
        SET status = 'sending', attempts = m.attempts + 1, last_attempt_at = now(), next_attempt_at = NULL,
            lease_owner = $2, lease_until = now() + $3 * interval '1 millisecond', updated_at = now()
        FROM due WHERE m.id = due.id
        RETURNING m.*),
      history AS (
        INSERT INTO message_status_history (message_id, status, detail)
        SELECT id, status, 'attempt ' || attempts FROM claimed)
      SELECT * FROM claimed
      """;
  /** Rows left 'sending' without a sid after their lease ran out: a replica died mid-send, or an answer was lost. */
  private static final String CLAIM_UNRESOLVED = """
      WITH stuck AS (
        SELECT id FROM messages
        WHERE direction = 'outbound' AND status = 'sending' AND twilio_sid IS NULL AND lease_until < now()
        ORDER BY lease_until
        LIMIT $1
        FOR UPDATE SKIP LOCKED)
      UPDATE messages m
      SET lease_owner = $2, lease_until = now() + $3 * interval '1 millisecond', updated_at = now()
      FROM stuck WHERE m.id = stuck.id
      RETURNING m.*
      """;
  /**
   * Rows Twilio accepted, not in a final status, sent since the horizon ($5 ms), whose status has not moved and
   * which nobody asked Twilio about for $4 ms: their callbacks may be lost. The lease keeps a slow fetch (retries)
   * from being taken up by another replica; status_checked_at spaces the questions. The predicate repeats that of
   * messages_outbox_unfinished_idx (V30) so the planner can use it.
   */
  private static final String CLAIM_STATUS_RECHECKS = """
      WITH unfinished AS (
        SELECT id FROM messages
        WHERE direction = 'outbound' AND twilio_sid IS NOT NULL
          AND NOT finished
          AND last_attempt_at > now() - $5 * interval '1 millisecond'
          AND updated_at < now() - $4 * interval '1 millisecond'
          AND (status_checked_at IS NULL OR status_checked_at < now() - $4 * interval '1 millisecond')
          AND (lease_until IS NULL OR lease_until < now())
        ORDER BY last_attempt_at
        LIMIT $1
        FOR UPDATE SKIP LOCKED)
      UPDATE messages m
      SET status_checked_at = now(), lease_owner = $2, lease_until = now() + $3 * interval '1 millisecond'
      FROM unfinished WHERE m.id = unfinished.id
      RETURNING m.id, m.account_sid, m.twilio_sid
      """;
  private static final String RELEASE_STATUS_RECHECK =
      "UPDATE messages SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2";
  /** The sids of a batch of sends; a text whose lease was lost is left out of the answer. */
  private static final String RECORD_ACCEPTED = """
      WITH sends AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[])
          AS a(id, owner, sid, status, error_code, detail)),
      accepted AS (
        UPDATE messages m
        SET twilio_sid = sends.sid,
            status = CASE WHEN message_status_advances(m.status, sends.status) THEN sends.status ELSE m.status END,
            error_code = coalesce(sends.error_code, m.error_code),
            lease_owner = NULL, lease_until = NULL, updated_at = now()
        FROM sends
        WHERE m.id = sends.id AND m.lease_owner = sends.owner AND m.status = 'sending' AND m.twilio_sid IS NULL
        RETURNING m.id, m.status, m.error_code, sends.detail),
      history AS (
        INSERT INTO message_status_history (message_id, status, error_code, detail)
        SELECT id, status, error_code, detail FROM accepted)
      SELECT id, status FROM accepted
      """;
  /** Ends an attempt without a sid: back to 'queued' (due after $4 ms) or 'failed'. */
  private static final String RELEASE = """
      WITH released AS (
        UPDATE messages
        SET status = $3,
            next_attempt_at = CASE WHEN $3 = 'queued' THEN now() + $4 * interval '1 millisecond' END,
            error_code = $5, error_message = $6,
            lease_owner = NULL, lease_until = NULL, updated_at = now()
        WHERE id = $1 AND lease_owner = $2 AND status = 'sending' AND twilio_sid IS NULL
        RETURNING id, status, error_code),
      history AS (
        INSERT INTO message_status_history (message_id, status, error_code, detail)
        SELECT id, status, error_code, $6 FROM released)
      SELECT status FROM released
      """;
  /** Keeps the row 'sending' and this replica's, until the reconciler may ask Twilio about it. */
  private static final String RECHECK_LATER = """
      WITH unresolved AS (
        UPDATE messages SET lease_until = now() + $3 * interval '1 millisecond', updated_at = now()
        WHERE id = $1 AND lease_owner = $2 AND status = 'sending' AND twilio_sid IS NULL
        RETURNING id, status)
      INSERT INTO message_status_history (message_id, status, detail) SELECT id, status, $4 FROM unresolved
      """;
  private static final String KNOWN_SIDS = "SELECT twilio_sid FROM messages WHERE twilio_sid = ANY($1)";

  // ---- status callbacks ----

  private static final String APPLY_STATUS = """
      WITH advanced AS (
        UPDATE messages
        SET status = $2, error_code = coalesce($3, error_code), error_message = coalesce($4, error_message), updated_at = now()
        WHERE twilio_sid = $1 AND direction = 'outbound' AND message_status_advances(status, $2)
        RETURNING id, from_number, to_number, status, error_code),
      history AS (
        INSERT INTO message_status_history (message_id, status, error_code, detail)
        SELECT id, status, $3, $5 FROM advanced)
      SELECT from_number, to_number FROM advanced
      """;
  /**
   * Status callbacks of a batch (one per sid: a second callback of a sid waits for the next statement), each moving
   * its text forward only; answers per sid whether it moved and whether a text has the sid at all.
   */
  private static final String APPLY_STATUSES = """
      WITH callbacks AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[]) AS c(sid, status, error_code, error_message)),
      advanced AS (
        UPDATE messages m
        SET status = callbacks.status, error_code = coalesce(callbacks.error_code, m.error_code),
            error_message = coalesce(callbacks.error_message, m.error_message), updated_at = now()
        FROM callbacks
        WHERE m.twilio_sid = callbacks.sid AND m.direction = 'outbound' AND message_status_advances(m.status, callbacks.status)
        RETURNING m.id, m.twilio_sid, m.status, callbacks.error_code),
      history AS (
        INSERT INTO message_status_history (message_id, status, error_code, detail)
        SELECT id, status, error_code, $5 FROM advanced)
      SELECT callbacks.sid,
             EXISTS (SELECT 1 FROM advanced WHERE advanced.twilio_sid = callbacks.sid) AS advanced,
             EXISTS (SELECT 1 FROM messages m WHERE m.twilio_sid = callbacks.sid AND m.direction = 'outbound') AS known
      FROM callbacks
      """;
  private static final String SID_EXISTS = "SELECT 1 FROM messages WHERE twilio_sid = $1 AND direction = 'outbound'";
  private static final String PARK_CALLBACK = """
      INSERT INTO unmatched_status_callbacks (twilio_sid, status, error_code, error_message) VALUES ($1, $2, $3, $4)
      ON CONFLICT DO NOTHING
      """;
  /** The callbacks parked for any of the sids ($1) that a text now has, each taken by exactly one caller. */
  private static final String TAKE_PARKED_CALLBACKS = """
      WITH taken AS (
        DELETE FROM unmatched_status_callbacks u
        WHERE u.twilio_sid = ANY($1::text[])
          AND EXISTS (SELECT 1 FROM messages m WHERE m.twilio_sid = u.twilio_sid AND m.direction = 'outbound')
        RETURNING twilio_sid, status, error_code, error_message)
      SELECT twilio_sid, status, error_code, error_message FROM taken ORDER BY twilio_sid, message_status_rank(status)
      """;
  private static final String FROM_CALLBACK = "status callback";
  private static final String FROM_RECHECK = "status recheck: fetched from Twilio, its callback never came";

  /** Dispatch states of an inbound text ({@code dispatch_state}; null for outbound texts). */
  public static final class DispatchState {
    /** Waiting for a handler (first offer, or a retry after a handler failed). */
    public static final String PENDING = "pending";
    public static final String DISPATCHED = "dispatched";
    public static final String UNROUTED = "unrouted";
    public static final String ABANDONED = "abandoned";

    private DispatchState() {}
  }

  /**
   * An inbound text to store: what the webhook said. {@code dispatchState} is where it starts: pending (leased to the
   * storing replica for its first dispatch), unrouted (no handler could take it), or a keyword's state (never offered
   * to handlers).
   */
  public record NewInbound(String twilioSid, String accountSid, String fromNumber, String toNumber, String body,
                           List<Message.Media> media, Integer numSegments, JsonObject rawParams, String keyword, String dispatchState) {

    /** The stored row, as INSERT_INBOUND writes it (only its id and time come back, to keep the hot insert lean). */
    private Message stored(String id, Instant receivedAt) {
      return new Message(id, Message.INBOUND, accountSid, null, fromNumber, toNumber, body, media, numSegments, null, RECEIVED,
          null, null, twilioSid, null, null, receivedAt, receivedAt);
    }
  }

  /**
   * A dispatch attempt's outcome: {@code handler} is set when {@code state} is dispatched; a pending outcome is a
   * failed attempt, offered again after {@code retryAfter}.
   */
  public record DispatchOutcome(String messageId, String state, String handler, Duration retryAfter) {
    public static DispatchOutcome settled(String messageId, String state, String handler) {
      return new DispatchOutcome(messageId, state, handler, Duration.ZERO);
    }
  }

  /** A pending inbound text claimed for its {@code attempt}th dispatch. */
  public record DispatchClaim(Message message, int attempt) {}

  /** A new outbound text, stored as queued; {@code charge} is empty when it was not rate limited. */
  public record NewOutbound(String id, String accountSid, String workspaceId, String fromNumber, String toNumber, String body,
                            List<String> mediaUrls, int segments, String encoding, Optional<String> callId, Optional<String> chatId,
                            String senderKind, Optional<SegmentCharge> charge, String detail) {}

  /** An outbound text claimed for a send attempt (or to resolve one); {@code charge} is empty when it was not rate limited. */
  public record OutboxClaim(String id, String accountSid, String fromNumber, String toNumber, String body, List<String> mediaUrls,
                            int segments, int attempts, Instant lastAttemptAt, Optional<SegmentCharge> charge) {}

  /** A text Twilio accepted whose status stood still, claimed to ask Twilio about it. */
  public record Unfinished(String id, String accountSid, String sid) {}

  /**
   * A status callback's outcome: the message advanced, was already at or past the status, or no message has the
   * sid yet (the callback is parked until the sid is recorded).
   */
  public enum CallbackOutcome { ADVANCED, STALE, UNKNOWN_SID }

  /** A parked status that moved its message forward when applied. */
  public record AppliedStatus(String status, Integer errorCode) {}

  /** A send Twilio answered: the sid to record on text {@code id} while {@code owner} holds its lease. */
  private record SidRecord(String id, String owner, String sid, String twilioStatus, Integer errorCode, String detail) {}

  /** A status callback to apply. */
  private record StatusUpdate(String sid, String status, Integer errorCode, String errorMessage) {}

  /**
   * How outbound writes are group committed ({@code outbound.max_batch_size}, {@code outbound.max_queued_rows}): texts
   * and sids at once (a send batch's sids arrive together, and the sender's next claim waits for them), status
   * callbacks, which arrive one by one and no client waits on, after {@code outbound.batch_linger};
   * and how long a status callback that outran its sid waits for it in memory ({@code outbound.status_callback_hold}).
   */
  public record Batching(EventLoopBatches.BatchLimits requests, EventLoopBatches.BatchLimits background, Duration statusCallbackHold) {
    /** Twilio gives up on a status callback after 15 s; a held one must be answered well before. */
    private static final Duration LONGEST_HOLD = Duration.ofSeconds(10);

    public static Batching from(Config root) {
      Config outbound = root.at("outbound");
      Duration hold = outbound.duration("status_callback_hold", Duration.ofSeconds(1));
      if (hold.compareTo(LONGEST_HOLD) > 0) {
        throw outbound.invalid("status_callback_hold", hold, "must be at most " + LONGEST_HOLD + " (Twilio waits 15 s for an answer)");
      }
      return new Batching(EventLoopBatches.BatchLimits.forRequests(root), EventLoopBatches.BatchLimits.forBackground(root), hold);
    }
  }

  private final Pool pool;
  private final OptOutRegistry optOuts;
  private final SidArrivals arrivals;
  private final EventLoopBatches<NewOutbound, Queued> queuedInserts;
  private final EventLoopBatches<SidRecord, Optional<String>> sidRecords;
  private final EventLoopBatches<String, List<AppliedStatus>> parkedTakes;
  private final EventLoopBatches<StatusUpdate, CallbackOutcome> statusUpdates;

  /**
   * The texts of concurrent requests, the sids of concurrent sends, status callbacks and the callbacks parked for
   * them are each written by one statement per event loop and batch ({@link EventLoopBatches}).
   */
  public MessageStore(Vertx vertx, Pool pool, OptOutRegistry optOuts, Batching batching, MeterRegistry registry) {
    this.pool = pool;
    this.optOuts = optOuts;
    this.arrivals = new SidArrivals(vertx, batching.statusCallbackHold());
    this.queuedInserts = new EventLoopBatches<>(vertx, "outbound_queued", batching.requests(), this::insertQueuedBatch, registry);
    this.sidRecords = new EventLoopBatches<>(vertx, "outbound_sids", batching.requests(), this::recordAcceptedBatch, registry);
    this.parkedTakes = new EventLoopBatches<>(vertx, "parked_status_callbacks", batching.requests(), this::applyParkedBatch, registry);
    this.statusUpdates = new EventLoopBatches<>(vertx, "status_callbacks", batching.background(), this::applyStatusBatch, registry);
  }

  /** What every message id starts with. */
  public static final String ID_PREFIX = "msg_";

  /** A new message id. */
  public static String newId() {
    return ID_PREFIX + UUID.randomUUID().toString().replace("-", "");
  }

  // ---- inbound ----

  /**
   * Inserts the texts whose {@code MessageSid} is not stored yet (in {@code client}'s transaction when it is one),
   * pending ones leased to {@code owner} for {@code lease}. Answers, in the texts' order, the stored message, or empty
   * for a duplicate.
   */
  public Future<List<Optional<Message>>> insertInbound(SqlClient client, List<NewInbound> texts, String owner, Duration lease) {
    List<String> ids = texts.stream().map(text -> newId()).toList();
    Tuple params = Tuple.tuple(List.of(
        ids.toArray(String[]::new),
        column(texts, NewInbound::twilioSid),
        column(texts, NewInbound::accountSid),
        column(texts, NewInbound::fromNumber),
        column(texts, NewInbound::toNumber),
        column(texts, NewInbound::body),
        column(texts, text -> Message.mediaJson(text.media()).encode()),
        texts.stream().map(NewInbound::numSegments).toArray(Integer[]::new),
        column(texts, text -> text.rawParams().encode()),
        column(texts, NewInbound::keyword),
        column(texts, NewInbound::dispatchState),
        owner,
        lease.toMillis(),
        RECEIVED));
    return client.preparedQuery(INSERT_INBOUND).execute(params).map(rows -> {
      Map<String, Instant> inserted = new HashMap<>();
      rows.forEach(row -> inserted.put(row.getString("id"), row.getOffsetDateTime("created_at").toInstant()));
      List<Optional<Message>> stored = new ArrayList<>(texts.size());
      for (int i = 0; i < texts.size(); i++) {
        NewInbound text = texts.get(i);
        String id = ids.get(i);
        stored.add(Optional.ofNullable(inserted.get(id)).map(receivedAt -> text.stored(id, receivedAt)));
      }
      return stored;
    });
  }

  /** Records the dispatch outcomes {@code owner} still holds the lease of; answers their ids (a lost lease is left out). */
  public Future<Set<String>> recordDispatchOutcomes(List<DispatchOutcome> outcomes, String owner) {
    Tuple params = Tuple.of(
        outcomes.stream().map(DispatchOutcome::messageId).toArray(String[]::new),
        outcomes.stream().map(DispatchOutcome::state).toArray(String[]::new),
        outcomes.stream().map(DispatchOutcome::handler).toArray(String[]::new),
        outcomes.stream().map(outcome -> outcome.retryAfter().toMillis()).toArray(Long[]::new),
        owner);
    return pool.preparedQuery(RECORD_DISPATCH_OUTCOMES).execute(params).map(rows -> {
      Set<String> recorded = new HashSet<>();
      rows.forEach(row -> recorded.add(row.getString("id")));
      return recorded;
    });
  }

  /** Gives up on pending texts whose lease ran out after their last attempt; answers their ids. */
  public Future<List<String>> abandonExhaustedDispatches(int maxAttempts) {
    return pool.preparedQuery(ABANDON_EXHAUSTED_DISPATCHES).execute(Tuple.of(maxAttempts))
        .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(row -> row.getString("id")).toList());
  }

  /**
   * Leases to {@code owner} up to {@code limit} pending texts whose lease or retry pause ended (an attempt each): the
   * sweep that takes over a dead replica's texts and retries failed ones.
   */
  public Future<List<DispatchClaim>> claimDispatches(String owner, Duration lease, int maxAttempts, int limit) {
    return pool.preparedQuery(CLAIM_DISPATCHES).execute(Tuple.of(owner, lease.toMillis(), maxAttempts, limit))
        .map(rows -> StreamSupport.stream(rows.spliterator(), false)
            .map(row -> new DispatchClaim(Message.fromRow(row), row.getInteger("dispatch_attempts")))
            .toList());
  }

  /** Inbound texts pending dispatch (all replicas), and how long the oldest has waited. */
  public Future<PendingDispatch> countPendingDispatch() {
    return pool.query(COUNT_PENDING_DISPATCH).execute().map(rows -> {
      Row row = rows.iterator().next();
      return new PendingDispatch(row.getLong("pending"), row.getDouble("oldest_seconds"));
    });
  }

  public record PendingDispatch(long pending, double oldestSeconds) {}

  /**
   * Texts left 'sending' without a sid past their lease (the reconciler's backlog), and texts Twilio accepted between
   * {@code horizon} and {@code deadline} ago that still have no final status.
   */
  public Future<OutboundBacklog> outboundBacklog(Duration deadline, Duration horizon) {
    return pool.preparedQuery(OUTBOUND_BACKLOG).execute(Tuple.of(deadline.toMillis(), horizon.toMillis())).map(rows -> {
      Row row = rows.iterator().next();
      return new OutboundBacklog(row.getLong("stuck_sending"), row.getLong("status_overdue"));
    });
  }

  public record OutboundBacklog(long stuckSending, long statusOverdue) {}

  /** Deletes up to {@code limit} of the oldest finished texts created more than {@code age} ago (see PURGE_FINISHED). */
  public Future<PurgedTexts> purgeFinished(Duration age, int limit) {
    return pool.preparedQuery(PURGE_FINISHED).execute(Tuple.of(age.toMillis(), limit)).map(rows -> {
      Row row = rows.iterator().next();
      return new PurgedTexts(row.getLong("messages"), row.getLong("history"), row.getLong("deliveries"));
    });
  }

  /** Deletes up to {@code limit} of the oldest parked status callbacks received more than {@code age} ago. */
  public Future<Integer> purgeParkedCallbacks(Duration age, int limit) {
    return pool.preparedQuery(PURGE_PARKED_CALLBACKS).execute(Tuple.of(age.toMillis(), limit)).map(rows -> rows.rowCount());
  }

  /** What one purge batch removed: texts, their status history rows, their call-session deliveries. */
  public record PurgedTexts(long messages, long history, long deliveries) {}

  /**
   * Makes abandoned inbound texts pending again, due at once with fresh attempts: those with the given ids, or those
   * received in {@code [since, until)}. Answers how many.
   */
  public Future<Integer> redeliverAbandoned(List<String> ids, Instant since, Instant until) {
    return pool.preparedQuery(REDELIVER_ABANDONED).execute(Tuple.of(ids.toArray(String[]::new),
            since == null ? null : since.atOffset(ZoneOffset.UTC), until == null ? null : until.atOffset(ZoneOffset.UTC)))
        .map(RowSet::rowCount);
  }

  // ---- calls ----

  /** Marks the text as belonging to the call (and its workspace), in the caller's transaction. */
  public Future<Void> routeToCall(SqlClient client, String messageId, String callId, String workspaceId) {
    return client.preparedQuery(ROUTE_TO_CALL).execute(Tuple.of(messageId, callId, workspaceId)).mapEmpty();
  }

  /** A call's texts, both directions, oldest first (only those of {@code workspaceId} when given). */
  public Future<List<Message>> listByCall(String callId, String workspaceId) {
    return pool.preparedQuery(BY_CALL).execute(Tuple.of(callId, workspaceId))
        .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(Message::fromRow).toList());
  }

  /** The messages with these ids, by id (unknown ids are left out). */
  public Future<Map<String, Message>> findAll(List<String> ids) {
    return pool.preparedQuery(BY_IDS).execute(Tuple.of(ids.toArray(String[]::new)))
        .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(Message::fromRow)
            .collect(Collectors.toMap(Message::id, message -> message)));
  }

  // ---- chats ----

  /** A customer's text joins a chat (in the caller's transaction). */
  public Future<Void> routeToChat(SqlClient client, String messageId, String chatId, String workspaceId) {
    return client.preparedQuery(ROUTE_TO_CHAT).execute(Tuple.of(messageId, chatId, workspaceId)).mapEmpty();
  }

  /** The customer's inbound webhook rejected the chat of these texts: they stay stored, status {@code rejected}, in no chat. */
  public Future<Void> rejectChatTexts(SqlClient client, List<String> ids) {
    return client.preparedQuery(REJECT_CHAT_TEXTS).execute(Tuple.of(ids.toArray(String[]::new))).mapEmpty();
  }

  // ---- outbound ----

  /**
   * A text {@link #insertQueued} was asked to store: the message as stored, and whether a message with its id was
   * stored before (by an earlier run of the same request, whose replica died before answering: the text is not stored
   * twice, and this run's caller answers the stored one).
   */
  public record Queued(Message message, boolean storedBefore) {}

  /**
   * Stores the text as queued, with its first status history entry (group committed with concurrent texts); a text whose
   * id is stored already is left as it is.
   */
  public Future<Queued> insertQueued(NewOutbound text) {
    return queuedInserts.submit(text);
  }

  private Future<List<Queued>> insertQueuedBatch(List<NewOutbound> texts) {
    Tuple params = Tuple.tuple(List.of(
        column(texts, NewOutbound::id),
        column(texts, NewOutbound::accountSid),
        column(texts, NewOutbound::workspaceId),
        column(texts, NewOutbound::fromNumber),
        column(texts, NewOutbound::toNumber),
        column(texts, NewOutbound::body),
        column(texts, text -> new JsonArray(text.mediaUrls().stream()
            .map(url -> new JsonObject().put("url", url).putNull("content_type")).toList()).encode()),
        texts.stream().map(NewOutbound::segments).toArray(Integer[]::new),
        column(texts, NewOutbound::encoding),
        column(texts, text -> text.callId().orElse(null)),
        column(texts, text -> text.chatId().orElse(null)),
        column(texts, NewOutbound::senderKind),
        column(texts, text -> text.charge().map(SegmentCharge::brandId).orElse(null)),
        column(texts, text -> text.charge().map(SegmentCharge::tier).orElse(null)),
        column(texts, text -> text.charge().map(charged -> charged.carrier().name().toLowerCase(Locale.ROOT)).orElse(null)),
        texts.stream().map(text -> text.charge().map(charged -> charged.chargedAt().atOffset(ZoneOffset.UTC)).orElse(null))
            .toArray(OffsetDateTime[]::new),
        column(texts, NewOutbound::detail)));
    return pool.preparedQuery(INSERT_QUEUED).execute(params).compose(rows -> {
      Map<String, Message> inserted = new HashMap<>();
      rows.forEach(row -> inserted.put(row.getString("id"), Message.fromRow(row)));
      List<String> storedBefore = texts.stream().map(NewOutbound::id).filter(id -> !inserted.containsKey(id)).toList();
      Future<Map<String, Message>> earlier = storedBefore.isEmpty() ? Future.succeededFuture(Map.of()) : findAll(storedBefore);
      return earlier.map(found -> texts.stream().map(text -> inserted.containsKey(text.id())
          ? new Queued(inserted.get(text.id()), false)
          : new Queued(Objects.requireNonNull(found.get(text.id()), "stored row of " + text.id()), true)).toList());
    });
  }

  public Future<Optional<Message>> find(String id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(id)).map(rows -> first(rows).map(Message::fromRow));
  }

  /** {@code [{status, error_code, detail, at}]}, oldest first. */
  public Future<JsonArray> history(String id) {
    return pool.preparedQuery(HISTORY).execute(Tuple.of(id)).map(rows -> {
      JsonArray history = new JsonArray();
      rows.forEach(row -> history.add(new JsonObject()
          .put("status", row.getString("status"))
          .put("error_code", row.getInteger("error_code"))
          .put("detail", row.getString("detail"))
          .put("at", row.getOffsetDateTime("at").toInstant().toString())));
      return history;
    });
  }

  /** Claims up to {@code limit} due queued texts for {@code owner}: each becomes 'sending' with one more attempt. */
  public Future<List<OutboxClaim>> claimDue(String owner, int limit, Duration lease) {
    return pool.preparedQuery(CLAIM_DUE).execute(Tuple.of(limit, owner, lease.toMillis())).map(MessageStore::outboxClaims);
  }

  /** Claims up to {@code limit} texts left 'sending' without a sid past their lease. */
  public Future<List<OutboxClaim>> claimUnresolved(String owner, int limit, Duration lease) {
    return pool.preparedQuery(CLAIM_UNRESOLVED).execute(Tuple.of(limit, owner, lease.toMillis())).map(MessageStore::outboxClaims);
  }

  /**
   * Claims up to {@code limit} texts Twilio accepted that are not final, were sent within {@code horizon}, and whose
   * status neither moved nor was asked about for {@code recheckAfter}.
   */
  public Future<List<Unfinished>> claimStatusRechecks(String owner, int limit, Duration lease, Duration recheckAfter, Duration horizon) {
    return pool.preparedQuery(CLAIM_STATUS_RECHECKS).execute(Tuple.of(limit, owner, lease.toMillis(), recheckAfter.toMillis(), horizon.toMillis()))
        .map(rows -> StreamSupport.stream(rows.spliterator(), false)
            .map(row -> new Unfinished(row.getString("id"), row.getString("account_sid"), row.getString("twilio_sid")))
            .toList());
  }

  /** Ends this replica's recheck of the text; the next is due {@code recheckAfter} after this one was claimed. */
  public Future<Void> releaseStatusRecheck(String id, String owner) {
    return pool.preparedQuery(RELEASE_STATUS_RECHECK).execute(Tuple.of(id, owner)).mapEmpty();
  }

  /**
   * Twilio took the text as {@code sid}; the answer is the text's status now, empty if the lease was lost (group
   * committed with the sids of concurrent sends). Callbacks of the sid waiting on this replica go on.
   */
  public Future<Optional<String>> recordAccepted(String id, String owner, String sid, String twilioStatus, Integer errorCode, String detail) {
    return sidRecords.submit(new SidRecord(id, owner, sid, twilioStatus, errorCode, detail));
  }

  private Future<List<Optional<String>>> recordAcceptedBatch(List<SidRecord> records) {
    Tuple params = Tuple.of(
        column(records, SidRecord::id),
        column(records, SidRecord::owner),
        column(records, SidRecord::sid),
        column(records, SidRecord::twilioStatus),
        records.stream().map(SidRecord::errorCode).toArray(Integer[]::new),
        column(records, SidRecord::detail));
    return pool.preparedQuery(RECORD_ACCEPTED).execute(params).map(rows -> {
      Map<String, String> statuses = new HashMap<>();
      rows.forEach(row -> statuses.put(row.getString("id"), row.getString("status")));
      return records.stream().map(record -> {
        Optional<String> status = Optional.ofNullable(statuses.get(record.id()));
        status.ifPresent(recorded -> arrivals.recorded(record.sid()));
        return status;
      }).toList();
    });
  }

  /** Queued again, due after {@code delay}; false if the lease was lost. */
  public Future<Boolean> requeue(String id, String owner, Duration delay, Integer errorCode, String reason) {
    return release(pool, id, owner, MessageStatus.QUEUED, delay, errorCode, reason);
  }

  /**
   * Fails the attempt; when Twilio said the recipient opted out (21610), records the opt-out in the same transaction.
   * False if the lease was lost.
   */
  public Future<Boolean> fail(OutboxClaim text, String owner, Integer errorCode, String reason, boolean recipientOptedOut) {
    if (!recipientOptedOut) {
      return release(pool, text.id(), owner, MessageStatus.FAILED, Duration.ZERO, errorCode, reason);
    }
    return pool.withTransaction(tx -> release(tx, text.id(), owner, MessageStatus.FAILED, Duration.ZERO, errorCode, reason)
        .compose(released -> released
            ? optOuts.optOut(tx, text.fromNumber(), text.toNumber(), OptOutRegistry.TWILIO_OPTED_OUT_KEYWORD).map(true)
            : Future.succeededFuture(false)));
  }

  /** Keeps the text 'sending' and {@code owner}'s for {@code delay}, then the reconciler asks Twilio about it. */
  public Future<Void> recheckLater(String id, String owner, Duration delay, String reason) {
    return pool.preparedQuery(RECHECK_LATER).execute(Tuple.of(id, owner, delay.toMillis(), reason)).mapEmpty();
  }

  /** Which of these sids are already recorded on a message. */
  public Future<Set<String>> knownSids(List<String> sids) {
    return pool.preparedQuery(KNOWN_SIDS).execute(Tuple.of(sids.toArray(String[]::new)))
        .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(row -> row.getString(0)).collect(Collectors.toSet()));
  }

  // ---- status callbacks ----

  /**
   * Applies a status callback: the status only moves forward however callbacks race on replicas (one statement,
   * group committed with concurrent callbacks). A callback that finds no text with its sid waits for this replica to
   * record it ({@code outbound.status_callback_hold}) and is applied again; then, still unmatched, it is parked in
   * PostgreSQL and the sid looked up after: if the sid was recorded meanwhile (a send answered on another replica, a
   * reconcile adopting it), the parked callbacks are applied here, so none is lost between the two; else the sender
   * applies them when it records the sid ({@link #applyParkedCallbacks}).
   */
  public Future<CallbackOutcome> applyStatusCallback(String sid, String status, Integer errorCode, String errorMessage) {
    StatusUpdate update = new StatusUpdate(sid, status, errorCode, errorMessage);
    if (errorCode != null && errorCode == TwilioApiException.RECIPIENT_OPTED_OUT) {
      // Rare, and it opts the recipient out in the same transaction: not batched.
      return advance(sid, status, errorCode, errorMessage, FROM_CALLBACK)
          .compose(moved -> moved ? Future.succeededFuture(CallbackOutcome.ADVANCED) : park(update));
    }
    return statusUpdates.submit(update).compose(first -> first != CallbackOutcome.UNKNOWN_SID
        ? Future.succeededFuture(first)
        : arrivals.awaitRecorded(sid)
            .compose(recorded -> statusUpdates.submit(update))
            .compose(second -> second != CallbackOutcome.UNKNOWN_SID ? Future.succeededFuture(second) : park(update)));
  }

  private Future<CallbackOutcome> park(StatusUpdate update) {
    String sid = update.sid();
    return pool.preparedQuery(PARK_CALLBACK).execute(Tuple.of(sid, update.status(), update.errorCode(), update.errorMessage()))
        .compose(parked -> pool.preparedQuery(SID_EXISTS).execute(Tuple.of(sid)))
        .compose(rows -> rows.size() == 0
            ? Future.succeededFuture(CallbackOutcome.UNKNOWN_SID)
            : applyParkedCallbacks(sid).map(advanced -> advanced.stream().anyMatch(applied -> applied.status().equals(update.status()))
                ? CallbackOutcome.ADVANCED
                : CallbackOutcome.STALE));
  }

  /** One statement per round; a sid's second callback in the batch goes to the next round, after its first. */
  private Future<List<CallbackOutcome>> applyStatusBatch(List<StatusUpdate> updates) {
    List<StatusUpdate> round = new ArrayList<>();
    List<StatusUpdate> later = new ArrayList<>();
    Set<String> sids = new HashSet<>();
    updates.forEach(update -> (sids.add(update.sid()) ? round : later).add(update));
    Tuple params = Tuple.of(
        column(round, StatusUpdate::sid),
        column(round, StatusUpdate::status),
        round.stream().map(StatusUpdate::errorCode).toArray(Integer[]::new),
        column(round, StatusUpdate::errorMessage),
        FROM_CALLBACK);
    return pool.preparedQuery(APPLY_STATUSES).execute(params).compose(rows -> {
      Map<String, CallbackOutcome> outcomes = new HashMap<>();
      rows.forEach(row -> outcomes.put(row.getString("sid"), row.getBoolean("advanced") ? CallbackOutcome.ADVANCED
          : row.getBoolean("known") ? CallbackOutcome.STALE : CallbackOutcome.UNKNOWN_SID));
      List<CallbackOutcome> first = round.stream().map(update -> outcomes.get(update.sid())).toList();
      if (later.isEmpty()) {
        return Future.succeededFuture(first);
      }
      return applyStatusBatch(later).map(rest -> {
        // Back into the callers' order: each update's outcome is that of its own round.
        Map<StatusUpdate, CallbackOutcome> byUpdate = new IdentityHashMap<>();
        for (int i = 0; i < round.size(); i++) {
          byUpdate.put(round.get(i), first.get(i));
        }
        for (int i = 0; i < later.size(); i++) {
          byUpdate.put(later.get(i), rest.get(i));
        }
        return updates.stream().map(byUpdate::get).toList();
      });
    });
  }

  /**
   * Applies the status Twilio answered a fetch with, by the statement callbacks use: a callback arriving at the
   * same time cannot be undone by it, nor it by the callback. Answers whether the text moved forward.
   */
  public Future<Boolean> applyRecheckedStatus(String sid, String status, Integer errorCode, String errorMessage) {
    return advance(sid, status, errorCode, errorMessage, FROM_RECHECK);
  }

  /**
   * Applies, in status order, the callbacks parked for {@code sid} (each taken by exactly one caller; one statement
   * takes those of concurrent callers); answers the statuses that moved the text forward.
   */
  public Future<List<AppliedStatus>> applyParkedCallbacks(String sid) {
    return parkedTakes.submit(sid);
  }

  private Future<List<List<AppliedStatus>>> applyParkedBatch(List<String> sids) {
    return pool.preparedQuery(TAKE_PARKED_CALLBACKS).execute(Tuple.of(sids.toArray(String[]::new))).compose(rows -> {
      Map<String, List<Row>> parked = new HashMap<>();
      rows.forEach(row -> parked.computeIfAbsent(row.getString("twilio_sid"), sid -> new ArrayList<>()).add(row));
      // A sid named twice in the batch gets its callbacks once.
      List<Future<List<AppliedStatus>>> applied = sids.stream()
          .map(sid -> applyInOrder(sid, Optional.ofNullable(parked.remove(sid)).orElse(List.of())))
          .toList();
      return Future.all(applied).map(all -> applied.stream().map(Future::result).toList());
    });
  }

  private Future<List<AppliedStatus>> applyInOrder(String sid, List<Row> parked) {
    Future<List<AppliedStatus>> applied = Future.succeededFuture(new ArrayList<>());
    for (Row row : parked) {
      AppliedStatus status = new AppliedStatus(row.getString("status"), row.getInteger("error_code"));
      applied = applied.compose(advanced -> advance(sid, status.status(), status.errorCode(), row.getString("error_message"), FROM_CALLBACK)
          .map(moved -> {
            if (moved) {
              advanced.add(status);
            }
            return advanced;
          }));
    }
    return applied;
  }

  /** One move forward, if it is one; error 21610 also opts the recipient out, in the same transaction. */
  private Future<Boolean> advance(String sid, String status, Integer errorCode, String errorMessage, String detail) {
    Tuple values = Tuple.of(sid, status, errorCode, errorMessage, detail);
    return errorCode != null && errorCode == TwilioApiException.RECIPIENT_OPTED_OUT
        ? pool.withTransaction(tx -> tx.preparedQuery(APPLY_STATUS).execute(values).compose(rows -> first(rows)
            .map(row -> optOuts.optOut(tx, row.getString("from_number"), row.getString("to_number"), OptOutRegistry.TWILIO_OPTED_OUT_KEYWORD).map(true))
            .orElseGet(() -> Future.succeededFuture(false))))
        : pool.preparedQuery(APPLY_STATUS).execute(values).map(rows -> rows.size() > 0);
  }

  private static Future<Boolean> release(SqlClient client, String id, String owner, String status, Duration delay, Integer errorCode, String reason) {
    return client.preparedQuery(RELEASE).execute(Tuple.of(id, owner, status, delay.toMillis(), errorCode, reason))
        .map(rows -> rows.size() > 0);
  }

  private static List<OutboxClaim> outboxClaims(RowSet<Row> rows) {
    List<OutboxClaim> claimed = new ArrayList<>();
    rows.forEach(row -> claimed.add(new OutboxClaim(
        row.getString("id"),
        row.getString("account_sid"),
        row.getString("from_number"),
        row.getString("to_number"),
        row.getString("body"),
        Message.media(row.getValue("media")).stream().map(Message.Media::url).toList(),
        row.getInteger("num_segments"),
        row.getInteger("attempts"),
        row.getOffsetDateTime("last_attempt_at").toInstant(),
        Optional.ofNullable(row.getString("brand_id")).map(brandId -> new SegmentCharge(
            brandId,
            row.getString("brand_tier"),
            CarrierGroup.valueOf(row.getString("carrier").toUpperCase(Locale.ROOT)),
            row.getInteger("num_segments"),
            row.getOffsetDateTime("charged_at").toInstant(),
            // A pool text charged its workspace's share of the pool brand too (outbound.SegmentCharger).
            "pool".equals(row.getString("sender_kind")) ? Optional.ofNullable(row.getString("workspace_id")) : Optional.empty())))));
    return claimed;
  }

  private static Optional<Row> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
  }

  private static <T> String[] column(List<T> items, Function<T, String> value) {
    return items.stream().map(value).toArray(String[]::new);
  }

  private static String prefixed(String prefix, String columns) {
    return java.util.Arrays.stream(columns.split(",")).map(String::strip).map(column -> prefix + column)
        .collect(Collectors.joining(", "));
  }
}
