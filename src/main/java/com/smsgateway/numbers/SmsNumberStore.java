package com.smsgateway.numbers;

import com.smsgateway.cache.ReadCache;
import com.smsgateway.db.EventLoopBatches;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** The {@code sms_numbers} table: agent numbers (platform, BYO) and the SMS-approved pool. */
public final class SmsNumberStore {
  private static final String COLUMNS = "phone_number, type, workspace_id, agent_id, account_sid, sms_status, chat_agent_id, "
      + "inbound_webhook_url, end_after_silence, auto_close_message, twilio_sid, brand_tier, created_at, updated_at";
  private static final String ADD_POOL = """
      INSERT INTO sms_numbers (phone_number, type, sms_status) VALUES ($1, 'pool', 'enabled')
      ON CONFLICT (phone_number) DO NOTHING
      RETURNING\s""" + COLUMNS;
  private static final String LIST_POOL = "SELECT " + COLUMNS + " FROM sms_numbers WHERE type = 'pool' ORDER BY phone_number";
  private static final String POOL_SENDERS =
      "SELECT phone_number FROM sms_numbers WHERE type = 'pool' AND sms_status = 'enabled'";
  private static final String DELETE_POOL = "DELETE FROM sms_numbers WHERE phone_number = $1 AND type = 'pool'";
  private static final String FIND = "SELECT " + COLUMNS + " FROM sms_numbers WHERE phone_number = $1";
  private static final String FIND_ALL = "SELECT " + COLUMNS + " FROM sms_numbers WHERE phone_number = ANY($1::text[])";
  // A pool number is never turned into an agent number here: the WHERE leaves it alone and RETURNING is empty.
  private static final String PUT_AGENT_NUMBER = """
      INSERT INTO sms_numbers (phone_number, type, workspace_id, agent_id, account_sid, sms_status)
      VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (phone_number) DO UPDATE
        SET type = EXCLUDED.type, workspace_id = EXCLUDED.workspace_id, agent_id = EXCLUDED.agent_id,
            account_sid = EXCLUDED.account_sid, sms_status = EXCLUDED.sms_status, updated_at = now()
        WHERE sms_numbers.type <> 'pool'
      RETURNING (xmax = 0) AS inserted,\s""" + COLUMNS;
  /**
   * A platform number's status follows its workspace's registration: enabled with an approved campaign, a2p_pending
   * while one is under review, else a2p_required.
   */
  static final String WORKSPACE_A2P_STATUS = """
      (SELECT CASE
         WHEN EXISTS (SELECT 1 FROM campaigns c WHERE c.workspace_id = $3 AND c.status = 'approved') THEN 'enabled'
         WHEN EXISTS (SELECT 1 FROM campaigns c WHERE c.workspace_id = $3 AND c.status = 'suspended') THEN 'suspended'
         WHEN EXISTS (SELECT 1 FROM campaigns c WHERE c.workspace_id = $3 AND c.status = 'pending') THEN 'a2p_pending'
         ELSE 'a2p_required' END)""";
  private static final String INSERT_BOUGHT = """
      INSERT INTO sms_numbers (phone_number, type, workspace_id, agent_id, twilio_sid, sms_status)
      VALUES ($1, 'platform', $3, $2, $4,\s""" + WORKSPACE_A2P_STATUS + """
      )
      ON CONFLICT (phone_number) DO NOTHING
      RETURNING\s""" + COLUMNS;
  private static final String UPSERT_BYO = """
      INSERT INTO sms_numbers (phone_number, type, workspace_id, agent_id, account_sid, twilio_sid, brand_tier, sms_status)
      VALUES ($1, 'byo_twilio', $2, $3, $4, $5, $6, 'enabled')
      ON CONFLICT (phone_number) DO UPDATE
        SET agent_id = EXCLUDED.agent_id, account_sid = EXCLUDED.account_sid, twilio_sid = EXCLUDED.twilio_sid,
            brand_tier = EXCLUDED.brand_tier, sms_status = 'enabled', updated_at = now()
        WHERE sms_numbers.type = 'byo_twilio' AND sms_numbers.workspace_id = EXCLUDED.workspace_id
      RETURNING (xmax = 0) AS inserted,\s""" + COLUMNS;
  private static final String CLAIM_PURCHASE = """
      INSERT INTO number_purchases (phone_number, workspace_id) VALUES ($1, $2)
      ON CONFLICT (phone_number) DO UPDATE SET workspace_id = EXCLUDED.workspace_id, started_at = now()
        WHERE number_purchases.started_at < now() - $3 * interval '1 millisecond'
      RETURNING phone_number""";
  private static final String END_PURCHASE = "DELETE FROM number_purchases WHERE phone_number = $1";
  private static final String DELETE_AGENT_NUMBER = "DELETE FROM sms_numbers WHERE phone_number = $1 AND type <> 'pool' RETURNING " + COLUMNS;

  private final Pool pool;

  /** The one key of {@link #poolSenders}. */
  private static final String POOL = "pool";

  /**
   * Read for every text to decide who sends it (an in-call text: the agent's number or the pool); kept for
   * {@code numbers.cache_ttl}. Every change to a number made through this store forgets it at once; other replicas'
   * changes, and A2P status changes of a workspace's numbers, apply within the TTL.
   */
  private final ReadCache<String, Optional<SmsNumber>> senders;
  /** The misses of concurrent requests on one event loop share one read. */
  private final EventLoopBatches<String, Optional<SmsNumber>> senderReads;
  private final ReadCache<String, List<String>> poolSenders;

  public SmsNumberStore(Vertx vertx, Pool pool, NumbersConfig config, EventLoopBatches.BatchLimits reads, MeterRegistry registry) {
    this.pool = pool;
    this.senderReads = new EventLoopBatches<>(vertx, "sms_number_reads", reads, this::findAll, registry);
    this.senders = new ReadCache<>("sms_numbers", config.cacheTtl(), config.cacheMaxEntries(), Clock.systemUTC(), registry);
    this.poolSenders = new ReadCache<>("pool_senders", config.cacheTtl(), 1, Clock.systemUTC(), registry);
  }

  /** The new pool number, or empty when the number is already known (in the pool or as an agent number). */
  public Future<Optional<SmsNumber>> addPoolNumber(String phoneNumber) {
    return changed(phoneNumber, pool.preparedQuery(ADD_POOL).execute(Tuple.of(phoneNumber)).map(SmsNumberStore::first));
  }

  public Future<List<SmsNumber>> poolNumbers() {
    return pool.query(LIST_POOL).execute().map(SmsNumberStore::all);
  }

  /**
   * The pool numbers that may send now: the candidates a call's pin is chosen from (kept {@code numbers.cache_ttl}). An
   * empty pool is not kept: numbers just added through another replica are found at once rather than a text failing.
   */
  public Future<List<String>> poolSenders() {
    return poolSenders.get(POOL, () -> pool.query(POOL_SENDERS).execute().map(rows -> StreamSupport.stream(rows.spliterator(), false)
            .map(row -> row.getString("phone_number")).toList()))
        .andThen(read -> {
          if (read.succeeded() && read.result().isEmpty()) {
            poolSenders.invalidate(POOL);
          }
        });
  }

  public Future<Boolean> deletePoolNumber(String phoneNumber) {
    return changed(phoneNumber, pool.preparedQuery(DELETE_POOL).execute(Tuple.of(phoneNumber)).map(rows -> rows.rowCount() == 1));
  }

  /** The number as stored now. */
  public Future<Optional<SmsNumber>> find(String phoneNumber) {
    return pool.preparedQuery(FIND).execute(Tuple.of(phoneNumber)).map(SmsNumberStore::first);
  }

  /** The number, as read at most {@code numbers.cache_ttl} ago: to decide who sends a text. */
  public Future<Optional<SmsNumber>> findSender(String phoneNumber) {
    return senders.get(phoneNumber, () -> senderReads.submit(phoneNumber));
  }

  private Future<List<Optional<SmsNumber>>> findAll(List<String> phoneNumbers) {
    return pool.preparedQuery(FIND_ALL).execute(Tuple.of(phoneNumbers.toArray(String[]::new))).map(rows -> {
      Map<String, SmsNumber> found = new HashMap<>();
      rows.forEach(row -> found.put(row.getString("phone_number"), toNumber(row)));
      return phoneNumbers.stream().map(number -> Optional.ofNullable(found.get(number))).toList();
    });
  }

  /** This replica forgets what it kept about the number (and the pool's senders) once the change is done. */
  private <T> Future<T> changed(String phoneNumber, Future<T> change) {
    return change.andThen(done -> {
      senders.invalidate(phoneNumber);
      poolSenders.invalidate(POOL);
    });
  }

  /** Result of registering an agent number: the number, whether it was new; empty when it is a pool number. */
  public record PutResult(SmsNumber number, boolean created) {}

  public Future<Optional<PutResult>> putAgentNumber(String phoneNumber, NumberType type, String workspaceId, String agentId,
                                                    String accountSid, SmsStatus smsStatus) {
    return changed(phoneNumber, pool.preparedQuery(PUT_AGENT_NUMBER)
        .execute(Tuple.of(phoneNumber, type.wireName(), workspaceId, agentId, accountSid, smsStatus.wireName()))
        .map(SmsNumberStore::putResult));
  }

  /**
   * Records the intent to buy {@code phoneNumber} before Twilio is asked: false when another purchase of it is under
   * way (younger than {@code takeOverAfter}; an older one belongs to a crashed request and is taken over).
   */
  public Future<Boolean> claimPurchase(String phoneNumber, String workspaceId, Duration takeOverAfter) {
    return pool.preparedQuery(CLAIM_PURCHASE).execute(Tuple.of(phoneNumber, workspaceId, takeOverAfter.toMillis()))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The purchase failed: the number may be tried again. */
  public Future<Void> abandonPurchase(String phoneNumber) {
    return pool.preparedQuery(END_PURCHASE).execute(Tuple.of(phoneNumber)).mapEmpty();
  }

  /**
   * Stores a bought platform number (its status from the workspace's registration) and ends the purchase, in one
   * transaction; empty when the number was stored already (e.g. imported meanwhile).
   */
  public Future<Optional<SmsNumber>> recordPurchase(String phoneNumber, String workspaceId, String agentId, String twilioSid) {
    return changed(phoneNumber, pool.withTransaction(tx -> tx.preparedQuery(INSERT_BOUGHT).execute(Tuple.of(phoneNumber, agentId, workspaceId, twilioSid))
        .compose(rows -> tx.preparedQuery(END_PURCHASE).execute(Tuple.of(phoneNumber)).map(ended -> first(rows)))));
  }

  /** Stores (or re-registers) a BYO number of {@code workspaceId}; empty when the number is another workspace's or not BYO. */
  public Future<Optional<PutResult>> putByoNumber(String phoneNumber, String workspaceId, String agentId, String accountSid,
                                                  String twilioSid, String brandTier) {
    return changed(phoneNumber, pool.preparedQuery(UPSERT_BYO)
        .execute(Tuple.of(phoneNumber, workspaceId, agentId, accountSid, twilioSid, brandTier))
        .map(SmsNumberStore::putResult));
  }

  /** Numbers of one workspace (all when {@code workspaceId} is empty), of one type when given, after {@code cursor}. */
  public Future<List<SmsNumber>> list(Optional<String> workspaceId, Optional<NumberType> type, Optional<String> after, int limit) {
    List<Object> params = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM sms_numbers WHERE true");
    workspaceId.ifPresent(id -> {
      params.add(id);
      sql.append(" AND workspace_id = $").append(params.size());
    });
    type.ifPresent(t -> {
      params.add(t.wireName());
      sql.append(" AND type = $").append(params.size());
    });
    after.ifPresent(cursor -> {
      params.add(cursor);
      sql.append(" AND phone_number > $").append(params.size());
    });
    params.add(limit);
    sql.append(" ORDER BY phone_number LIMIT $").append(params.size());
    return pool.preparedQuery(sql.toString()).execute(Tuple.wrap(params)).map(SmsNumberStore::all);
  }

  /** The settings a workspace changes on its number; a field not in {@code changes} is left as it is. */
  public record Changes(Optional<Optional<String>> agentId, Optional<Optional<String>> chatAgentId,
                        Optional<Optional<String>> inboundWebhookUrl, Optional<Optional<Integer>> endAfterSilence,
                        Optional<Optional<String>> autoCloseMessage) {}

  /** Applies {@code changes} to the (non-pool) number; empty when there is none. */
  public Future<Optional<SmsNumber>> update(String phoneNumber, Changes changes) {
    List<Object> params = new ArrayList<>(List.of(phoneNumber));
    StringBuilder set = new StringBuilder("updated_at = now()");
    appendChange(set, params, "agent_id", changes.agentId());
    appendChange(set, params, "chat_agent_id", changes.chatAgentId());
    appendChange(set, params, "inbound_webhook_url", changes.inboundWebhookUrl());
    appendChange(set, params, "end_after_silence", changes.endAfterSilence());
    appendChange(set, params, "auto_close_message", changes.autoCloseMessage());
    String sql = "UPDATE sms_numbers SET " + set + " WHERE phone_number = $1 AND type <> 'pool' RETURNING " + COLUMNS;
    return changed(phoneNumber, pool.preparedQuery(sql).execute(Tuple.wrap(params)).map(SmsNumberStore::first));
  }

  private static void appendChange(StringBuilder set, List<Object> params, String column, Optional<? extends Optional<?>> change) {
    change.ifPresent(value -> {
      params.add(value.orElse(null));
      set.append(", ").append(column).append(" = $").append(params.size());
    });
  }

  /** Deletes the (non-pool) number; the deleted row, or empty when there was none. */
  public Future<Optional<SmsNumber>> deleteAgentNumber(String phoneNumber) {
    return changed(phoneNumber, pool.preparedQuery(DELETE_AGENT_NUMBER).execute(Tuple.of(phoneNumber)).map(SmsNumberStore::first));
  }

  /**
   * Sets the A2P status of the workspace's platform numbers from its campaigns (see {@link #WORKSPACE_A2P_STATUS});
   * runs in the caller's transaction, so a decision and its numbers change together. Returns how many changed.
   */
  public static Future<Integer> refreshWorkspaceStatus(SqlClient client, String workspaceId) {
    String sql = "UPDATE sms_numbers SET sms_status = " + WORKSPACE_A2P_STATUS.replace("$3", "$1")
        + ", updated_at = now() WHERE workspace_id = $1 AND type = 'platform' AND sms_status IS DISTINCT FROM "
        + WORKSPACE_A2P_STATUS.replace("$3", "$1");
    return client.preparedQuery(sql).execute(Tuple.of(workspaceId)).map(RowSet::rowCount);
  }

  /** The platform numbers of a workspace (for adding them to its Messaging Service in live mode). */
  public Future<List<SmsNumber>> platformNumbers(String workspaceId) {
    return list(Optional.of(workspaceId), Optional.of(NumberType.PLATFORM), Optional.empty(), 1000);
  }

  private static Optional<PutResult> putResult(RowSet<Row> rows) {
    var it = rows.iterator();
    if (!it.hasNext()) {
      return Optional.empty();
    }
    Row row = it.next();
    return Optional.of(new PutResult(toNumber(row), row.getBoolean("inserted")));
  }

  private static Optional<SmsNumber> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(toNumber(it.next())) : Optional.empty();
  }

  private static List<SmsNumber> all(RowSet<Row> rows) {
    return StreamSupport.stream(rows.spliterator(), false).map(SmsNumberStore::toNumber).toList();
  }

  private static SmsNumber toNumber(Row row) {
    return new SmsNumber(
        row.getString("phone_number"),
        NumberType.fromWire(row.getString("type")),
        row.getString("workspace_id"),
        row.getString("agent_id"),
        row.getString("account_sid"),
        SmsStatus.fromWire(row.getString("sms_status")),
        row.getString("chat_agent_id"),
        row.getString("inbound_webhook_url"),
        row.getInteger("end_after_silence"),
        row.getString("auto_close_message"),
        row.getString("twilio_sid"),
        row.getString("brand_tier"),
        row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("updated_at").toInstant());
  }
}
