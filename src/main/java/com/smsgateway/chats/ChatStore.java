package com.smsgateway.chats;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code chats} table. At most one open (ongoing or error) chat per (our number, customer), enforced by a partial
 * unique index. Work on a chat (its webhook call, agent turns, sending replies) is leased: {@link #claimDue} takes due
 * chats for one owner until {@code lease_until}, and every change the work makes names that owner, so a replica that
 * lost its lease changes nothing and two replicas never run a turn of one chat at once.
 */
final class ChatStore {
  /** A number's chat settings (the numbers feature owns the columns). */
  record NumberSettings(String workspaceId, String chatAgentId, String inboundWebhookUrl, Integer endAfterSilenceSeconds,
                        String autoCloseMessage) {}

  /** What every chat id starts with. */
  static final String ID_PREFIX = "chat_";

  /** A chat to open: by a customer's text ({@code origin} inbound) or by the API. */
  record NewChat(String id, String workspaceId, String agentId, String agentNumber, String customerNumber, String origin,
                 boolean webhookPending, JsonObject dynamicVariables, JsonObject metadata) {}

  /** A new chat id. */
  static String newId() {
    return ID_PREFIX + UUID.randomUUID().toString().replace("-", "");
  }

  /** A chat found silent, with the number's closing text (null: none). */
  record Silent(Chat chat, String autoCloseMessage) {}

  /** One page of a workspace's chats, newest first. */
  record Page(List<Chat> chats, Optional<String> nextCursor) {}

  private static final String OPEN = "status <> 'ended'";
  private static final String NUMBER_SETTINGS = """
      SELECT workspace_id, chat_agent_id, inbound_webhook_url, end_after_silence, auto_close_message
      FROM sms_numbers WHERE phone_number = $1 AND type <> 'pool'
      """;
  private static final String LOCK_OPEN =
      "SELECT * FROM chats WHERE agent_number = $1 AND customer_number = $2 AND " + OPEN + " FOR UPDATE";
  private static final String FIND_OPEN = "SELECT * FROM chats WHERE agent_number = $1 AND customer_number = $2 AND " + OPEN;
  private static final String INSERT = """
      INSERT INTO chats (id, workspace_id, agent_id, agent_number, customer_number, origin, status, webhook_state,
                         dynamic_variables, metadata, due_at)
      VALUES ($1, $2, $3, $4, $5, $6, 'ongoing', $7, $8, $9, now())
      ON CONFLICT (agent_number, customer_number) WHERE status <> 'ended' DO NOTHING
      RETURNING *
      """;
  /** A new text: a chat in error is retried; work already scheduled (a backoff, a retry_at) keeps its time. */
  private static final String JOIN = """
      UPDATE chats
      SET status = 'ongoing', last_message_at = now(), due_at = coalesce(due_at, now()),
          attempts = CASE WHEN status = 'error' THEN 0 ELSE attempts END
      WHERE id = $1
      RETURNING *
      """;
  private static final String FIND = "SELECT * FROM chats WHERE id = $1";
  private static final String LIST = """
      SELECT * FROM chats
      WHERE ($1::text IS NULL OR workspace_id = $1)
        AND ($2::text IS NULL OR agent_number = $2 OR customer_number = $2)
        AND ($3::text IS NULL OR status = $3)
        AND ($4::timestamptz IS NULL OR (started_at, id) < ($4, $5))
      ORDER BY started_at DESC, id DESC
      LIMIT $6
      """;
  private static final String CLAIM_DUE = """
      WITH due AS (
        SELECT id FROM chats
        WHERE status <> 'ended' AND due_at <= now() AND (lease_until IS NULL OR lease_until < now())
          AND (webhook_state = 'pending' OR $4)
        ORDER BY due_at
        LIMIT $3
        FOR UPDATE SKIP LOCKED)
      UPDATE chats c
      SET lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond', attempts = c.attempts + 1
      FROM due WHERE c.id = due.id
      RETURNING c.*
      """;
  private static final String OWNED = "id = $1 AND lease_owner = $2 AND status <> 'ended'";
  private static final String WEBHOOK_DECIDED = """
      UPDATE chats
      SET webhook_state = 'done', agent_id = coalesce($3, agent_id),
          dynamic_variables = coalesce($4, dynamic_variables), metadata = coalesce($5, metadata), attempts = 1
      WHERE\s""" + OWNED + " RETURNING *";
  private static final String DELETE_OWNED = "DELETE FROM chats WHERE " + OWNED;
  private static final String ANSWERED = """
      UPDATE chats
      SET turns = turns + 1, pending_responses = $3, pending_end_chat = $4, attempts = 1, last_error = NULL, status = 'ongoing'
      WHERE\s""" + OWNED + " RETURNING *";
  private static final String MARK_TURN =
      "UPDATE chat_messages SET turn = $2 WHERE chat_id = $1 AND role = 'user' AND turn IS NULL AND seq <= $3";
  private static final String REPLY_SENT = """
      UPDATE chats SET pending_responses = pending_responses - 0, last_message_at = now()
      WHERE\s""" + OWNED;
  private static final String LOCK_OWNED = "SELECT id FROM chats WHERE " + OWNED + " FOR UPDATE";
  /** Run after {@link #LOCK_OWNED}, so it sees every text committed before the lock was granted. */
  private static final String FINISH_WORK = """
      UPDATE chats
      SET due_at = CASE WHEN EXISTS (SELECT 1 FROM chat_messages
                                     WHERE chat_id = $1 AND role = 'user' AND turn IS NULL) THEN now() END,
          attempts = 0, pending_end_chat = false, lease_owner = NULL, lease_until = NULL
      WHERE\s""" + OWNED;
  private static final String RETRY_LATER = """
      UPDATE chats
      SET due_at = now() + $3 * interval '1 millisecond', attempts = CASE WHEN $4 THEN 0 ELSE attempts END,
          last_error = $5, lease_owner = NULL, lease_until = NULL
      WHERE\s""" + OWNED;
  private static final String FAIL = """
      UPDATE chats
      SET status = 'error', due_at = NULL, attempts = 0, pending_responses = '[]'::jsonb, pending_end_chat = false,
          last_error = $3, lease_owner = NULL, lease_until = NULL
      WHERE\s""" + OWNED;
  /** Ends an open chat; with an owner ($3), only while that owner's lease holds (or nobody's does). */
  private static final String END = """
      UPDATE chats
      SET status = 'ended', end_reason = $2, ended_at = now(), due_at = NULL, pending_responses = '[]'::jsonb,
          pending_end_chat = false, lease_owner = NULL, lease_until = NULL
      WHERE id = $1 AND status <> 'ended'
        AND ($3::text IS NULL OR lease_owner = $3 OR lease_until IS NULL OR lease_until < now())
      RETURNING *, (SELECT count(*) FROM chat_messages WHERE chat_id = $1) AS message_count
      """;
  private static final String END_FOR_OPT_OUT = """
      UPDATE chats c
      SET status = 'ended', end_reason = 'opted_out', ended_at = now(), due_at = NULL, pending_responses = '[]'::jsonb,
          pending_end_chat = false, lease_owner = NULL, lease_until = NULL
      WHERE agent_number = $1 AND customer_number = $2 AND status <> 'ended'
      RETURNING (SELECT count(*) FROM chat_messages WHERE chat_id = c.id) AS message_count
      """;
  /** $1: now by the sweep's clock; silence per number or $2 seconds. Leases compare with the database's clock. */
  private static final String CLAIM_SILENT = """
      WITH silent AS (
        SELECT c.id FROM chats c LEFT JOIN sms_numbers n ON n.phone_number = c.agent_number
        WHERE c.status <> 'ended' AND (c.lease_until IS NULL OR c.lease_until < now())
          AND c.last_message_at < $1::timestamptz - coalesce(n.end_after_silence::bigint, $2::bigint) * interval '1 second'
        ORDER BY c.last_message_at
        LIMIT $5
        FOR UPDATE OF c SKIP LOCKED)
      UPDATE chats c
      SET lease_owner = $3, lease_until = now() + $4 * interval '1 millisecond'
      FROM silent WHERE c.id = silent.id
      RETURNING c.*, (SELECT auto_close_message FROM sms_numbers WHERE phone_number = c.agent_number) AS auto_close_message
      """;

  private final Pool pool;

  ChatStore(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  Future<Optional<NumberSettings>> numberSettings(String phoneNumber) {
    return pool.preparedQuery(NUMBER_SETTINGS).execute(Tuple.of(phoneNumber)).map(rows -> {
      var it = rows.iterator();
      if (!it.hasNext()) {
        return Optional.empty();
      }
      Row row = it.next();
      return Optional.of(new NumberSettings(row.getString("workspace_id"), row.getString("chat_agent_id"),
          row.getString("inbound_webhook_url"), row.getInteger("end_after_silence"), row.getString("auto_close_message")));
    });
  }

  /**
   * The open chat of the pair, locked for the caller's transaction and marked as having a new text; or a new one
   * when there is none. Two texts racing to open one chat: the index lets one insert, the other then joins it.
   */
  Future<Joined> joinOrOpen(SqlClient tx, NewChat chat) {
    return tx.preparedQuery(LOCK_OPEN).execute(Tuple.of(chat.agentNumber(), chat.customerNumber()))
        .compose(open -> open.size() > 0
            ? tx.preparedQuery(JOIN).execute(Tuple.of(open.iterator().next().getString("id"))).map(rows -> new Joined(only(rows), false))
            : insert(tx, chat).compose(inserted -> inserted.isPresent()
                ? Future.succeededFuture(new Joined(inserted.get(), true))
                : joinOrOpen(tx, chat)));
  }

  /** The chat a text joined, and whether the text opened it. */
  record Joined(Chat chat, boolean opened) {}

  /** A new chat, or empty when the pair has an open one. */
  Future<Optional<Chat>> insert(SqlClient client, NewChat chat) {
    return client.preparedQuery(INSERT).execute(Tuple.from(List.of(
            chat.id(), chat.workspaceId(), chat.agentId(), chat.agentNumber(),
            chat.customerNumber(), chat.origin(), chat.webhookPending() ? "pending" : "done", chat.dynamicVariables(), chat.metadata())))
        .map(ChatStore::first);
  }

  Future<Optional<Chat>> findOpen(String agentNumber, String customerNumber) {
    return pool.preparedQuery(FIND_OPEN).execute(Tuple.of(agentNumber, customerNumber)).map(ChatStore::first);
  }

  Future<Optional<Chat>> find(String chatId) {
    return pool.preparedQuery(FIND).execute(Tuple.of(chatId)).map(ChatStore::first);
  }

  /** Newest first; {@code cursor} is the last chat of the previous page ({@link Page#nextCursor()}). */
  Future<Page> list(Optional<String> workspaceId, String phoneNumber, String status, int limit, Optional<ChatCursor> cursor) {
    Tuple params = Tuple.from(java.util.Arrays.asList(workspaceId.orElse(null), phoneNumber, status,
        cursor.map(c -> OffsetDateTime.ofInstant(c.startedAt(), ZoneOffset.UTC)).orElse(null), cursor.map(ChatCursor::chatId).orElse(null),
        limit + 1));
    return pool.preparedQuery(LIST).execute(params).map(rows -> {
      List<Chat> chats = new ArrayList<>();
      rows.forEach(row -> chats.add(Chat.fromRow(row)));
      if (chats.size() <= limit) {
        return new Page(chats, Optional.empty());
      }
      List<Chat> page = chats.subList(0, limit);
      Chat last = page.get(limit - 1);
      return new Page(List.copyOf(page), Optional.of(new ChatCursor(last.startedAt(), last.id()).encode()));
    });
  }

  /** Due chats for {@code owner}: webhook calls always, agent turns only when an agent is configured. */
  Future<List<Chat>> claimDue(String owner, long leaseMillis, int limit, boolean agentConfigured) {
    return pool.preparedQuery(CLAIM_DUE).execute(Tuple.of(owner, leaseMillis, limit, agentConfigured)).map(ChatStore::all);
  }

  /** The webhook decided (null values keep what the chat has); the chat's agent turn follows under the same lease. */
  Future<Optional<Chat>> webhookDecided(String chatId, String owner, String agentId, JsonObject dynamicVariables, JsonObject metadata) {
    return pool.preparedQuery(WEBHOOK_DECIDED).execute(Tuple.of(chatId, owner, agentId, dynamicVariables, metadata))
        .map(ChatStore::first);
  }

  /** The customer's webhook rejected the new chat: its texts are kept as rejected and the chat is removed. */
  Future<Boolean> reject(String chatId, String owner, ChatMessages messages) {
    return pool.withTransaction(tx -> tx.preparedQuery(LOCK_OWNED).execute(Tuple.of(chatId, owner))
        .compose(locked -> locked.size() == 0
            ? Future.succeededFuture(false)
            : messages.reject(tx, chatId).compose(v -> tx.preparedQuery(DELETE_OWNED).execute(Tuple.of(chatId, owner)))
                .map(deleted -> deleted.rowCount() == 1)));
  }

  /**
   * Records the agent's answer: its responses to send, and the texts it saw ({@code seq <= throughSeq}) as answered by
   * this turn. Answers the updated chat, or empty when the lease was lost.
   */
  Future<Optional<Chat>> answered(String chatId, String owner, List<String> responses, boolean endChat, long throughSeq) {
    return pool.withTransaction(tx -> tx.preparedQuery(ANSWERED)
        .execute(Tuple.of(chatId, owner, new JsonArray(List.copyOf(responses)), endChat))
        .map(ChatStore::first)
        .compose(chat -> chat.isEmpty()
            ? Future.succeededFuture(chat)
            : tx.preparedQuery(MARK_TURN).execute(Tuple.of(chatId, chat.get().turns(), throughSeq)).map(chat)));
  }

  /** The first pending response was handed to the outbound pipeline as {@code messageId}. */
  Future<Boolean> replySent(String chatId, String owner, String messageId, int turn, ChatMessages messages) {
    return pool.withTransaction(tx -> tx.preparedQuery(REPLY_SENT).execute(Tuple.of(chatId, owner))
        .compose(updated -> updated.rowCount() == 0
            ? Future.succeededFuture(false)
            : messages.addAgentText(tx, messageId, chatId, turn).map(true)));
  }

  /** The work is done: the next turn is due now if texts arrived meanwhile, else nothing is. Releases the lease. */
  Future<Boolean> finishWork(String chatId, String owner) {
    return pool.withTransaction(tx -> tx.preparedQuery(LOCK_OWNED).execute(Tuple.of(chatId, owner))
        .compose(locked -> locked.size() == 0
            ? Future.succeededFuture(false)
            : tx.preparedQuery(FINISH_WORK).execute(Tuple.of(chatId, owner)).map(done -> done.rowCount() == 1)));
  }

  /** Tries again after {@code delayMillis}; {@code resetAttempts} when the wait was no failure (a rate-limit refusal). */
  Future<Boolean> retryLater(String chatId, String owner, long delayMillis, boolean resetAttempts, String error) {
    return pool.preparedQuery(RETRY_LATER).execute(Tuple.of(chatId, owner, delayMillis, resetAttempts, error))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The turn failed for good: the chat shows {@code error} until the customer's next text retries it. */
  Future<Boolean> fail(String chatId, String owner, String error) {
    return pool.preparedQuery(FAIL).execute(Tuple.of(chatId, owner, error)).map(rows -> rows.rowCount() == 1);
  }

  /**
   * Ends an open chat for {@code reason}; with an {@code owner}, only while its lease holds or nobody's does. Answers
   * the ended chat and its number of texts, or empty when it was not open (or leased by another).
   */
  Future<Optional<Ended>> end(String chatId, String reason, String owner) {
    return pool.preparedQuery(END).execute(Tuple.of(chatId, reason, owner)).map(rows -> {
      var it = rows.iterator();
      if (!it.hasNext()) {
        return Optional.empty();
      }
      Row row = it.next();
      return Optional.of(new Ended(Chat.fromRow(row), row.getLong("message_count")));
    });
  }

  record Ended(Chat chat, long messageCount) {}

  /** STOP: ends the pair's open chat in the caller's transaction; answers the ended chats' text counts. */
  Future<List<Long>> endForOptOut(SqlClient tx, String agentNumber, String customerNumber) {
    return tx.preparedQuery(END_FOR_OPT_OUT).execute(Tuple.of(agentNumber, customerNumber)).map(rows -> {
      List<Long> counts = new ArrayList<>();
      rows.forEach(row -> counts.add(row.getLong("message_count")));
      return counts;
    });
  }

  Future<List<Silent>> claimSilent(Instant now, long defaultSilenceSeconds, String owner, long leaseMillis, int limit) {
    return pool.preparedQuery(CLAIM_SILENT)
        .execute(Tuple.of(OffsetDateTime.ofInstant(now, ZoneOffset.UTC), defaultSilenceSeconds, owner, leaseMillis, limit))
        .map(rows -> {
          List<Silent> silent = new ArrayList<>();
          rows.forEach(row -> silent.add(new Silent(Chat.fromRow(row), row.getString("auto_close_message"))));
          return silent;
        });
  }

  private static Chat only(RowSet<Row> rows) {
    return Chat.fromRow(rows.iterator().next());
  }

  private static Optional<Chat> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(Chat.fromRow(it.next())) : Optional.empty();
  }

  private static List<Chat> all(RowSet<Row> rows) {
    List<Chat> chats = new ArrayList<>();
    rows.forEach(row -> chats.add(Chat.fromRow(row)));
    return chats;
  }
}
