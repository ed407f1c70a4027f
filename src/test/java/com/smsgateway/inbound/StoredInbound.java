package com.smsgateway.inbound;

import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/** What PostgreSQL holds for inbound messages, read through a replica's pool. */
final class StoredInbound {
  private StoredInbound() {}

  static int count(Gateway gateway, String twilioSid) {
    return Await.result(gateway.pg().preparedQuery("SELECT count(*) FROM messages WHERE twilio_sid = $1").execute(Tuple.of(twilioSid)))
        .iterator().next().getInteger(0);
  }

  /** The message's row as JSON (column names as keys), if stored. */
  static Optional<JsonObject> row(Gateway gateway, String twilioSid) {
    var rows = Await.result(gateway.pg().preparedQuery("SELECT * FROM messages WHERE twilio_sid = $1").execute(Tuple.of(twilioSid)));
    return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().toJson());
  }

  static String dispatchState(Gateway gateway, String twilioSid) {
    return row(gateway, twilioSid).map(row -> row.getString("dispatch_state")).orElse(null);
  }

  static Optional<Boolean> optedOut(Gateway gateway, String sender, String customer) {
    var rows = Await.result(gateway.pg().preparedQuery("SELECT opted_out FROM opt_outs WHERE sender_number = $1 AND customer_number = $2")
        .execute(Tuple.of(sender, customer)));
    return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getBoolean("opted_out"));
  }

  static double counter(Gateway gateway, String name, String... tags) {
    var counter = gateway.registry().find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  static Row single(Gateway gateway, String sql, Tuple params) {
    return Await.result(gateway.pg().preparedQuery(sql).execute(params)).iterator().next();
  }
}
