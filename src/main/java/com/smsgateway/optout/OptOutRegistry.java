package com.smsgateway.optout;

import com.smsgateway.db.EventLoopBatches;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.stream.StreamSupport;

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
  /** The sending number ({@code %1$s}) as kept: the pool as a whole for a pool number. */
  private static final String SENDER = """
      (CASE WHEN EXISTS (SELECT 1 FROM sms_numbers WHERE phone_number = %1$s AND type = 'pool') THEN 'pool' ELSE %1$s END)""";
  /** One row per (sender, customer) pair asked, in the pairs' order. */
  private static final String ARE_OPTED_OUT = """
      SELECT coalesce(o.opted_out, false) AS opted_out
      FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS asked(sender, customer, position)
      LEFT JOIN opt_outs o ON o.sender_number = %s AND o.customer_number = asked.customer
      ORDER BY asked.position
      """.formatted(SENDER.formatted("asked.sender"));
  private static final String RECORD = "INSERT INTO opt_outs (sender_number, customer_number, opted_out, last_keyword)"
      + " VALUES (" + SENDER.formatted("$1") + ", $2, $3, $4)"
      + " ON CONFLICT (sender_number, customer_number)"
      + " DO UPDATE SET opted_out = EXCLUDED.opted_out, last_keyword = EXCLUDED.last_keyword, updated_at = now()";
  public static final String TWILIO_OPTED_OUT_KEYWORD = "TWILIO_21610";

  /** A sender and a customer whose opt-out is asked about. */
  private record Pair(String sender, String customer) {}

  private final EventLoopBatches<Pair, Boolean> reads;

  /** The question is asked before every text: the questions of concurrent requests on one event loop share one read. */
  public OptOutRegistry(Vertx vertx, Pool pool, EventLoopBatches.BatchLimits limits, MeterRegistry registry) {
    this.reads = new EventLoopBatches<>(vertx, "opt_out_reads", limits, pairs -> pool.preparedQuery(ARE_OPTED_OUT)
        .execute(Tuple.tuple()
            .addArrayOfString(pairs.stream().map(Pair::sender).toArray(String[]::new))
            .addArrayOfString(pairs.stream().map(Pair::customer).toArray(String[]::new)))
        .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(row -> row.getBoolean("opted_out")).toList()), registry);
  }

  public Future<Boolean> isOptedOut(String senderNumber, String customerNumber) {
    return reads.submit(new Pair(senderNumber, customerNumber));
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
