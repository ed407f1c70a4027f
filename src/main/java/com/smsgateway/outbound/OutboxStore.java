package com.smsgateway.outbound;

import com.smsgateway.optout.OptOutRegistry;
import com.smsgateway.ratelimit.CarrierGroup;
import com.smsgateway.twilio.TwilioApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The outbound side of the messages table, used as a transactional outbox. Every state change is one SQL
 * statement that also appends to {@code message_status_history}; changes to a claimed row name the lease owner,
 * so a replica that lost its lease changes nothing.
 */
final class OutboxStore {
  private static final String INSERT_QUEUED = """
      WITH inserted AS (
        INSERT INTO messages (id, direction, account_sid, workspace_id, from_number, to_number, body, media,
                              num_segments, encoding, status, call_id, chat_id, sender_kind, brand_id, brand_tier,
                              carrier, charged_at, next_attempt_at)
        VALUES ($1, 'outbound', $2, $3, $4, $5, $6, $7, $8, $9, 'queued', $10, $11, $12, $13, $14, $15, $16, now())
        RETURNING *),
      history AS (
        INSERT INTO message_status_history (message_id, status, detail) SELECT id, status, $17 FROM inserted)
      SELECT * FROM inserted
      """;
  private static final String FIND = "SELECT * FROM messages WHERE id = $1";
  private static final String HISTORY =
      "SELECT status, error_code, detail, at FROM message_status_history WHERE message_id = $1 ORDER BY id";
  private static final String CLAIM_DUE = """
      WITH due AS (
        SELECT id FROM messages
        WHERE direction = 'outbound' AND status = 'queued' AND next_attempt_at <= now()
        ORDER BY next_attempt_at
        LIMIT $1
        FOR UPDATE SKIP LOCKED),
      claimed AS (
        UPDATE messages m
        SET status = 'sending', attempts = m.attempts + 1, last_attempt_at = now(), next_attempt_at = NULL,
            lease_owner = $2, lease_expires_at = now() + $3 * interval '1 millisecond', updated_at = now()
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
        WHERE direction = 'outbound' AND status = 'sending' AND twilio_sid IS NULL AND lease_expires_at < now()
        ORDER BY lease_expires_at
        LIMIT $1
        FOR UPDATE SKIP LOCKED)
      UPDATE messages m
      SET lease_owner = $2, lease_expires_at = now() + $3 * interval '1 millisecond', updated_at = now()
      FROM stuck WHERE m.id = stuck.id
      RETURNING m.*
      """;
  /**
   * Rows Twilio accepted, not in a final status, sent since the horizon ($5 ms), whose status has not moved and
   * which nobody asked Twilio about for $4 ms: their callbacks may be lost. The lease keeps a slow fetch (retries)
   * from being taken up by another replica; status_checked_at spaces the questions.
   */
  private static final String CLAIM_STATUS_RECHECKS = """
      WITH unfinished AS (
        SELECT id FROM messages
        WHERE direction = 'outbound' AND twilio_sid IS NOT NULL
          AND status IN ('accepted', 'scheduled', 'queued', 'sending', 'sent', 'partially_delivered')
          AND last_attempt_at > now() - $5 * interval '1 millisecond'
          AND updated_at < now() - $4 * interval '1 millisecond'
          AND (status_checked_at IS NULL OR status_checked_at < now() - $4 * interval '1 millisecond')
          AND (lease_expires_at IS NULL OR lease_expires_at < now())
        ORDER BY last_attempt_at
        LIMIT $1
        FOR UPDATE SKIP LOCKED)
      UPDATE messages m
      SET status_checked_at = now(), lease_owner = $2, lease_expires_at = now() + $3 * interval '1 millisecond'
      FROM unfinished WHERE m.id = unfinished.id
      RETURNING m.id, m.account_sid, m.twilio_sid
      """;
  private static final String RELEASE_STATUS_RECHECK =
      "UPDATE messages SET lease_owner = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_owner = $2";
  private static final String RECORD_ACCEPTED = """
      WITH accepted AS (
        UPDATE messages
        SET twilio_sid = $3,
            status = CASE WHEN message_status_advances(status, $4) THEN $4 ELSE status END,
            error_code = coalesce($5, error_code),
            lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND lease_owner = $2 AND status = 'sending' AND twilio_sid IS NULL
        RETURNING id, status, error_code),
      history AS (
        INSERT INTO message_status_history (message_id, status, error_code, detail)
        SELECT id, status, error_code, $6 FROM accepted)
      SELECT status FROM accepted
      """;
  /** Ends an attempt without a sid: back to 'queued' (due after $4 ms) or 'failed'. */
  private static final String RELEASE = """
      WITH released AS (
        UPDATE messages
        SET status = $3,
            next_attempt_at = CASE WHEN $3 = 'queued' THEN now() + $4 * interval '1 millisecond' END,
            error_code = $5, error_message = $6,
            lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
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
        UPDATE messages SET lease_expires_at = now() + $3 * interval '1 millisecond', updated_at = now()
        WHERE id = $1 AND lease_owner = $2 AND status = 'sending' AND twilio_sid IS NULL
        RETURNING id, status)
      INSERT INTO message_status_history (message_id, status, detail) SELECT id, status, $4 FROM unresolved
      """;
  private static final String KNOWN_SIDS = "SELECT twilio_sid FROM messages WHERE twilio_sid = ANY($1)";
  private static final String APPLY_STATUS_CALLBACK = """
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
  private static final String SID_EXISTS = "SELECT 1 FROM messages WHERE twilio_sid = $1 AND direction = 'outbound'";
  private static final String PARK_CALLBACK = """
      INSERT INTO unmatched_status_callbacks (twilio_sid, status, error_code, error_message) VALUES ($1, $2, $3, $4)
      ON CONFLICT DO NOTHING
      """;
  private static final String TAKE_PARKED_CALLBACKS = """
      WITH taken AS (
        DELETE FROM unmatched_status_callbacks
        WHERE twilio_sid = $1 AND EXISTS (SELECT 1 FROM messages WHERE twilio_sid = $1 AND direction = 'outbound')
        RETURNING status, error_code, error_message)
      SELECT status, error_code, error_message FROM taken ORDER BY message_status_rank(status)
      """;
  private static final String FROM_CALLBACK = "status callback";
  private static final String FROM_RECHECK = "status recheck: fetched from Twilio, its callback never came";
  private static final String PURGE_PARKED_CALLBACKS =
      "DELETE FROM unmatched_status_callbacks WHERE received_at < now() - $1 * interval '1 millisecond'";

  /** A row as the sender needs it; {@code charge} is empty when the text was not rate limited. */
  record Claimed(String id, String accountSid, String fromNumber, String toNumber, String body, List<String> mediaUrls,
                 int segments, int attempts, Instant lastAttemptAt, Optional<SegmentCharge> charge) {}

  /** A row Twilio accepted whose status stood still, claimed to ask Twilio about it. */
  record Unfinished(String id, String accountSid, String sid) {}

  /** A new queued row. */
  record Queued(String id, OutboundRequest request, String body, int segments, String encoding,
                Optional<SegmentCharge> charge, String detail) {}

  /**
   * A status callback's outcome: the message advanced, was already at or past the status, or no message has the
   * sid yet (the callback is parked until the sid is recorded).
   */
  enum CallbackOutcome { ADVANCED, STALE, UNKNOWN_SID }

  private final Pool pool;
  private final OptOutRegistry optOuts;

  OutboxStore(Pool pool, OptOutRegistry optOuts) {
    this.pool = pool;
    this.optOuts = optOuts;
  }

  /** Stores the text as queued, with its first status history entry. */
  Future<SmsMessage> insertQueued(Queued queued) {
    OutboundRequest request = queued.request();
    SendingNumber sender = request.sender();
    JsonArray media = new JsonArray();
    request.mediaUrls().forEach(url -> media.add(new JsonObject().put("url", url).putNull("content_type")));
    Tuple values = Tuple.tuple()
        .addString(queued.id())
        .addString(sender.account().accountSid())
        .addString(request.workspaceId())
        .addString(sender.number())
        .addString(request.toNumber())
        .addString(queued.body())
        .addValue(media)
        .addInteger(queued.segments())
        .addString(queued.encoding())
        .addString(request.callId().orElse(null))
        .addString(request.chatId().orElse(null))
        .addString(sender.kind().code())
        .addString(queued.charge().map(SegmentCharge::brandId).orElse(null))
        .addString(queued.charge().map(SegmentCharge::tier).orElse(null))
        .addString(queued.charge().map(charge -> charge.carrier().name().toLowerCase(Locale.ROOT)).orElse(null))
        .addOffsetDateTime(queued.charge().map(charge -> charge.chargedAt().atOffset(ZoneOffset.UTC)).orElse(null))
        .addString(queued.detail());
    return pool.preparedQuery(INSERT_QUEUED).execute(values).map(rows -> SmsMessage.fromRow(rows.iterator().next()));
  }

  Future<Optional<SmsMessage>> find(String id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(id)).map(rows -> first(rows).map(SmsMessage::fromRow));
  }

  /** {@code [{status, error_code, detail, at}]}, oldest first. */
  Future<JsonArray> history(String id) {
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

  /** Claims up to {@code limit} due queued rows for {@code owner}: each becomes 'sending' with one more attempt. */
  Future<List<Claimed>> claimDue(String owner, int limit, Duration lease) {
    return pool.preparedQuery(CLAIM_DUE).execute(Tuple.of(limit, owner, lease.toMillis())).map(OutboxStore::claimed);
  }

  /** Claims up to {@code limit} rows left 'sending' without a sid past their lease. */
  Future<List<Claimed>> claimUnresolved(String owner, int limit, Duration lease) {
    return pool.preparedQuery(CLAIM_UNRESOLVED).execute(Tuple.of(limit, owner, lease.toMillis())).map(OutboxStore::claimed);
  }

  /**
   * Claims up to {@code limit} rows Twilio accepted that are not final, were sent within {@code horizon}, and whose
   * status neither moved nor was asked about for {@code recheckAfter}.
   */
  Future<List<Unfinished>> claimStatusRechecks(String owner, int limit, Duration lease, Duration recheckAfter, Duration horizon) {
    return pool.preparedQuery(CLAIM_STATUS_RECHECKS).execute(Tuple.of(limit, owner, lease.toMillis(), recheckAfter.toMillis(), horizon.toMillis()))
        .map(rows -> StreamSupport.stream(rows.spliterator(), false)
            .map(row -> new Unfinished(row.getString("id"), row.getString("account_sid"), row.getString("twilio_sid")))
            .toList());
  }

  /** Ends this replica's recheck of the row; the next is due {@code recheckAfter} after this one was claimed. */
  Future<Void> releaseStatusRecheck(String id, String owner) {
    return pool.preparedQuery(RELEASE_STATUS_RECHECK).execute(Tuple.of(id, owner)).mapEmpty();
  }

  /** Twilio took the message as {@code sid}; the answer is the row's status now, empty if the lease was lost. */
  Future<Optional<String>> recordAccepted(String id, String owner, String sid, String twilioStatus, Integer errorCode, String detail) {
    return pool.preparedQuery(RECORD_ACCEPTED).execute(Tuple.of(id, owner, sid, twilioStatus, errorCode, detail))
        .map(rows -> first(rows).map(row -> row.getString("status")));
  }

  Future<Boolean> requeue(String id, String owner, Duration delay, Integer errorCode, String reason) {
    return release(pool, id, owner, MessageStatus.QUEUED, delay, errorCode, reason);
  }

  /** Fails the attempt; when Twilio said the recipient opted out (21610), records that in the same transaction. */
  Future<Boolean> fail(Claimed message, String owner, Integer errorCode, String reason, boolean recipientOptedOut) {
    if (!recipientOptedOut) {
      return release(pool, message.id(), owner, MessageStatus.FAILED, Duration.ZERO, errorCode, reason);
    }
    return pool.withTransaction(tx -> release(tx, message.id(), owner, MessageStatus.FAILED, Duration.ZERO, errorCode, reason)
        .compose(released -> released
            ? optOuts.optOut(tx, message.fromNumber(), message.toNumber(), OptOutRegistry.TWILIO_OPTED_OUT_KEYWORD).map(true)
            : Future.succeededFuture(false)));
  }

  Future<Void> recheckLater(String id, String owner, Duration delay, String reason) {
    return pool.preparedQuery(RECHECK_LATER).execute(Tuple.of(id, owner, delay.toMillis(), reason)).mapEmpty();
  }

  /** Which of these sids are already recorded on a message. */
  Future<Set<String>> knownSids(List<String> sids) {
    return pool.preparedQuery(KNOWN_SIDS).execute(Tuple.of(sids.toArray(String[]::new)))
        .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(row -> row.getString(0)).collect(Collectors.toSet()));
  }

  /**
   * Applies a status callback: the status only moves forward however callbacks race on replicas (one statement).
   * A callback that finds no row with its sid is parked first and the sid looked up after: if the sid was recorded
   * meanwhile (a send answered, a reconcile adopting it), the parked callbacks are applied here, so none is lost
   * between the two; else the sender applies them when it records the sid ({@link #applyParkedCallbacks}).
   */
  Future<CallbackOutcome> applyStatusCallback(String sid, String status, Integer errorCode, String errorMessage) {
    return advance(sid, status, errorCode, errorMessage, FROM_CALLBACK).compose(moved -> moved
        ? Future.succeededFuture(CallbackOutcome.ADVANCED)
        : pool.preparedQuery(PARK_CALLBACK).execute(Tuple.of(sid, status, errorCode, errorMessage))
            .compose(parked -> pool.preparedQuery(SID_EXISTS).execute(Tuple.of(sid)))
            .compose(rows -> rows.size() == 0
                ? Future.succeededFuture(CallbackOutcome.UNKNOWN_SID)
                : applyParkedCallbacks(sid).map(advanced -> advanced.stream().anyMatch(applied -> applied.status().equals(status))
                    ? CallbackOutcome.ADVANCED
                    : CallbackOutcome.STALE)));
  }

  /**
   * Applies the status Twilio answered a fetch with, by the statement callbacks use: a callback arriving at the
   * same time cannot be undone by it, nor it by the callback. Answers whether the message moved forward.
   */
  Future<Boolean> applyRecheckedStatus(String sid, String status, Integer errorCode, String errorMessage) {
    return advance(sid, status, errorCode, errorMessage, FROM_RECHECK);
  }

  /** One move forward, if it is one; error 21610 also opts the recipient out, in the same transaction. */
  private Future<Boolean> advance(String sid, String status, Integer errorCode, String errorMessage, String detail) {
    Tuple values = Tuple.of(sid, status, errorCode, errorMessage, detail);
    return errorCode != null && errorCode == TwilioApiException.RECIPIENT_OPTED_OUT
        ? pool.withTransaction(tx -> tx.preparedQuery(APPLY_STATUS_CALLBACK).execute(values).compose(rows -> first(rows)
            .map(row -> optOuts.optOut(tx, row.getString("from_number"), row.getString("to_number"), OptOutRegistry.TWILIO_OPTED_OUT_KEYWORD).map(true))
            .orElseGet(() -> Future.succeededFuture(false))))
        : pool.preparedQuery(APPLY_STATUS_CALLBACK).execute(values).map(rows -> rows.size() > 0);
  }

  /**
   * Applies, in status order, the callbacks parked for {@code sid} (each taken by exactly one caller); answers the
   * statuses that moved the message forward.
   */
  Future<List<AppliedStatus>> applyParkedCallbacks(String sid) {
    return pool.preparedQuery(TAKE_PARKED_CALLBACKS).execute(Tuple.of(sid)).compose(rows -> {
      Future<List<AppliedStatus>> applied = Future.succeededFuture(new ArrayList<>());
      for (Row row : rows) {
        AppliedStatus parked = new AppliedStatus(row.getString("status"), row.getInteger("error_code"));
        applied = applied.compose(advanced -> advance(sid, parked.status(), parked.errorCode(), row.getString("error_message"), FROM_CALLBACK)
            .map(moved -> {
              if (moved) {
                advanced.add(parked);
              }
              return advanced;
            }));
      }
      return applied;
    });
  }

  record AppliedStatus(String status, Integer errorCode) {}

  /** Forgets callbacks whose sid was never recorded (not ours, or its text was lost) after {@code age}. */
  Future<Void> purgeParkedCallbacks(Duration age) {
    return pool.preparedQuery(PURGE_PARKED_CALLBACKS).execute(Tuple.of(age.toMillis())).mapEmpty();
  }

  private static Future<Boolean> release(SqlClient client, String id, String owner, String status, Duration delay, Integer errorCode, String reason) {
    return client.preparedQuery(RELEASE).execute(Tuple.of(id, owner, status, delay.toMillis(), errorCode, reason))
        .map(rows -> rows.size() > 0);
  }

  private static List<Claimed> claimed(RowSet<Row> rows) {
    List<Claimed> claimed = new ArrayList<>();
    rows.forEach(row -> claimed.add(new Claimed(
        row.getString("id"),
        row.getString("account_sid"),
        row.getString("from_number"),
        row.getString("to_number"),
        row.getString("body"),
        mediaUrls(row),
        row.getInteger("num_segments"),
        row.getInteger("attempts"),
        row.getOffsetDateTime("last_attempt_at").toInstant(),
        Optional.ofNullable(row.getString("brand_id")).map(brandId -> new SegmentCharge(
            brandId,
            row.getString("brand_tier"),
            CarrierGroup.valueOf(row.getString("carrier").toUpperCase(Locale.ROOT)),
            row.getInteger("num_segments"),
            row.getOffsetDateTime("charged_at").toInstant())))));
    return claimed;
  }

  private static List<String> mediaUrls(Row row) {
    List<String> urls = new ArrayList<>();
    if (row.getValue("media") instanceof JsonArray media) {
      media.forEach(item -> urls.add(((JsonObject) item).getString("url")));
    }
    return urls;
  }

  private static Optional<Row> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
  }
}
