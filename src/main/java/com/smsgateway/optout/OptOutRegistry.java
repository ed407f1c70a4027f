package com.smsgateway.optout;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * Who opted out of texts from which of our numbers. The outbound pipeline asks before every send; inbound
 * STOP/START keywords and Twilio's error 21610 change it. Writes take a {@link SqlClient} so they can join
 * the caller's transaction (the inbound message and its opt-out commit together).
 *
 * <p>The SMS pool is one sender to its customers: whichever pool number a call was lent, STOP to any of them opts
 * the customer out of every pool number, and START to any of them opts them back in. Such opt-outs are kept under
 * the sender {@value #POOL_SENDER}; whether a number is a pool number is decided by the same SQL for reads and writes.
 */
public final class OptOutRegistry {
  /** The sender under which opt-outs from any pool number are kept. */
  public static final String POOL_SENDER = "pool";
  /** {@code $1}: the sending number, as kept: the pool as a whole for a pool number. */
  private static final String SENDER = """
      (CASE WHEN EXISTS (SELECT 1 FROM sms_numbers WHERE phone_number = $1 AND type = 'pool') THEN 'pool' ELSE $1 END)""";
  private static final String IS_OPTED_OUT =
      "SELECT opted_out FROM opt_outs WHERE sender_number = " + SENDER + " AND customer_number = $2";
  private static final String RECORD = "INSERT INTO opt_outs (sender_number, customer_number, opted_out, last_keyword)"
      + " VALUES (" + SENDER + ", $2, $3, $4)"
      + " ON CONFLICT (sender_number, customer_number)"
      + " DO UPDATE SET opted_out = EXCLUDED.opted_out, last_keyword = EXCLUDED.last_keyword, updated_at = now()";
  public static final String TWILIO_OPTED_OUT_KEYWORD = "TWILIO_21610";

  private final Pool pool;

  public OptOutRegistry(Pool pool) {
    this.pool = pool;
  }

  public Future<Boolean> isOptedOut(String senderNumber, String customerNumber) {
    return pool.preparedQuery(IS_OPTED_OUT)
        .execute(Tuple.of(senderNumber, customerNumber))
        .map(rows -> rows.size() > 0 && rows.iterator().next().getBoolean("opted_out"));
  }

  public Future<Void> optOut(SqlClient client, String senderNumber, String customerNumber, String keyword) {
    return record(client, senderNumber, customerNumber, true, keyword);
  }

  public Future<Void> optIn(SqlClient client, String senderNumber, String customerNumber, String keyword) {
    return record(client, senderNumber, customerNumber, false, keyword);
  }

  private static Future<Void> record(SqlClient client, String sender, String customer, boolean optedOut, String keyword) {
    return client.preparedQuery(RECORD).execute(Tuple.of(sender, customer, optedOut, keyword)).mapEmpty();
  }
}
