package com.smsgateway.numbers;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** The {@code sms_numbers} table: agent numbers and the SMS-approved pool. */
public final class SmsNumberStore {
  private static final String COLUMNS = "phone_number, type, workspace_id, agent_id, account_sid, sms_status, created_at, updated_at";
  private static final String ADD_POOL = """
      INSERT INTO sms_numbers (phone_number, type, sms_status) VALUES ($1, 'pool', 'enabled')
      ON CONFLICT (phone_number) DO NOTHING
      RETURNING\s""" + COLUMNS;
  private static final String LIST_POOL = "SELECT " + COLUMNS + " FROM sms_numbers WHERE type = 'pool' ORDER BY phone_number";
  private static final String POOL_SENDERS =
      "SELECT phone_number FROM sms_numbers WHERE type = 'pool' AND sms_status = 'enabled'";
  private static final String DELETE_POOL = "DELETE FROM sms_numbers WHERE phone_number = $1 AND type = 'pool'";
  private static final String FIND = "SELECT " + COLUMNS + " FROM sms_numbers WHERE phone_number = $1";
  // A pool number is never turned into an agent number here: the WHERE leaves it alone and RETURNING is empty.
  private static final String PUT_AGENT_NUMBER = """
      INSERT INTO sms_numbers (phone_number, type, workspace_id, agent_id, account_sid, sms_status)
      VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (phone_number) DO UPDATE
        SET type = EXCLUDED.type, workspace_id = EXCLUDED.workspace_id, agent_id = EXCLUDED.agent_id,
            account_sid = EXCLUDED.account_sid, sms_status = EXCLUDED.sms_status, updated_at = now()
        WHERE sms_numbers.type <> 'pool'
      RETURNING (xmax = 0) AS inserted,\s""" + COLUMNS;

  private final Pool pool;

  public SmsNumberStore(Pool pool) {
    this.pool = pool;
  }

  /** The new pool number, or empty when the number is already known (in the pool or as an agent number). */
  public Future<Optional<SmsNumber>> addPoolNumber(String phoneNumber) {
    return pool.preparedQuery(ADD_POOL).execute(Tuple.of(phoneNumber)).map(SmsNumberStore::first);
  }

  public Future<List<SmsNumber>> poolNumbers() {
    return pool.query(LIST_POOL).execute().map(rows -> StreamSupport.stream(rows.spliterator(), false)
        .map(SmsNumberStore::toNumber).toList());
  }

  /** The pool numbers that may send now: the candidates a call's pin is chosen from. */
  public Future<List<String>> poolSenders() {
    return pool.query(POOL_SENDERS).execute().map(rows -> StreamSupport.stream(rows.spliterator(), false)
        .map(row -> row.getString("phone_number")).toList());
  }

  public Future<Boolean> deletePoolNumber(String phoneNumber) {
    return pool.preparedQuery(DELETE_POOL).execute(Tuple.of(phoneNumber)).map(rows -> rows.rowCount() == 1);
  }

  public Future<Optional<SmsNumber>> find(String phoneNumber) {
    return pool.preparedQuery(FIND).execute(Tuple.of(phoneNumber)).map(SmsNumberStore::first);
  }

  /** Result of registering an agent number: the number, whether it was new; empty when it is a pool number. */
  public record PutResult(SmsNumber number, boolean created) {}

  public Future<Optional<PutResult>> putAgentNumber(String phoneNumber, NumberType type, String workspaceId, String agentId,
                                                    String accountSid, SmsStatus smsStatus) {
    return pool.preparedQuery(PUT_AGENT_NUMBER)
        .execute(Tuple.of(phoneNumber, type.wireName(), workspaceId, agentId, accountSid, smsStatus.wireName()))
        .map(rows -> {
          var it = rows.iterator();
          if (!it.hasNext()) {
            return Optional.empty();
          }
          Row row = it.next();
          return Optional.of(new PutResult(toNumber(row), row.getBoolean("inserted")));
        });
  }

  private static Optional<SmsNumber> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(toNumber(it.next())) : Optional.empty();
  }

  private static SmsNumber toNumber(Row row) {
    return new SmsNumber(
        row.getString("phone_number"),
        NumberType.fromWire(row.getString("type")),
        row.getString("workspace_id"),
        row.getString("agent_id"),
        row.getString("account_sid"),
        SmsStatus.fromWire(row.getString("sms_status")),
        row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("updated_at").toInstant());
  }
}
