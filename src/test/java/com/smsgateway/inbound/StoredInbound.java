package com.smsgateway.inbound;

import com.smsgateway.testing.Await;
import com.smsgateway.testing.RunningGateway;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/** What PostgreSQL holds for inbound messages, read through a replica's pool. */
final class StoredInbound {
  private StoredInbound() {}

  static int count(RunningGateway replica, String twilioSid) {
    return Await.result(replica.gateway().pg().preparedQuery("SELECT count(*) FROM messages WHERE twilio_sid = $1").execute(Tuple.of(twilioSid)))
        .iterator().next().getInteger(0);
  }

  /** The message's row as JSON (column names as keys), if stored. */
  static Optional<JsonObject> row(RunningGateway replica, String twilioSid) {
    var rows = Await.result(replica.gateway().pg().preparedQuery("SELECT * FROM messages WHERE twilio_sid = $1").execute(Tuple.of(twilioSid)));
    return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().toJson());
  }

  static String dispatchState(RunningGateway replica, String twilioSid) {
    return row(replica, twilioSid).map(row -> row.getString("dispatch_state")).orElse(null);
  }

  static Optional<Boolean> optedOut(RunningGateway replica, String sender, String customer) {
    var rows = Await.result(replica.gateway().pg().preparedQuery("SELECT opted_out FROM opt_outs WHERE sender_number = $1 AND customer_number = $2")
        .execute(Tuple.of(sender, customer)));
    return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getBoolean("opted_out"));
  }

  static double counter(RunningGateway replica, String name, String... tags) {
    var counter = replica.gateway().registry().find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }
}
