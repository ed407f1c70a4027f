package com.smsgateway.optout;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * Who opted out of texts from which of our numbers. The outbound pipeline asks before every send; inbound
 * STOP/START keywords and Twilio's error 21610 change it. Writes take a {@link SqlClient} so they can join
 * the caller's transaction (the inbound message and its opt-out commit together).
 */
public final class OptOutRegistry {
  private static final String IS_OPTED_OUT =
      "SELECT opted_out FROM opt_outs WHERE sender_number = $1 AND customer_number = $2";
  private static final String RECORD = """
      INSERT INTO opt_outs (sender_number, customer_number, opted_out, last_keyword)
      VALUES ($1, $2, $3, $4)
      ON CONFLICT (sender_number, customer_number)
      DO UPDATE SET opted_out = EXCLUDED.opted_out, last_keyword = EXCLUDED.last_keyword, updated_at = now()
      """;
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
