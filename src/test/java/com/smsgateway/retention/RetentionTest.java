package com.smsgateway.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Await;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The retention purge, as a running gateway does it (every 200 ms here), on rows aged in PostgreSQL. */
class RetentionTest {
  @RegisterExtension
  static final RunningGateway gateway = new RunningGateway(TestGateway.forClass(RetentionTest.class)
      .with("GATEWAY_RETENTION_INTERVAL", "200ms")
      .with("GATEWAY_RETENTION_BATCH_SIZE", "2"));

  private static Pool pg() {
    return gateway.gateway().pg();
  }

  @Test
  void finalTextsPastRetentionGoWithTheirHistoryAndNothingUnfinishedEverDoes() {
    String delivered = outbound("delivered", "40 days");
    String failed = outbound("failed", "40 days");
    String dispatched = inbound("dispatched", "40 days");
    String abandoned = inbound("abandoned", "40 days");
    String queued = outbound("queued", "40 days");
    String sending = outbound("sending", "40 days");
    String sent = outbound("sent", "40 days");
    String pending = inbound("pending", "40 days");
    String waitingForItsCall = inbound("dispatched", "40 days");
    delivery(waitingForItsCall, "pending", "40 days");
    String recent = outbound("delivered", "29 days");

    Await.until("the old final texts are purged", () -> !exists(delivered) && !exists(failed) && !exists(dispatched) && !exists(abandoned));

    assertThat(count("SELECT count(*) FROM message_status_history WHERE message_id = ANY($1)", (Object) new String[] {delivered, failed})).isZero();
    for (String kept : new String[] {queued, sending, sent, pending, waitingForItsCall, recent}) {
      assertThat(exists(kept)).as("text %s is kept", kept).isTrue();
    }
    assertThat(count("SELECT count(*) FROM message_status_history WHERE message_id = $1", recent)).isEqualTo(1);
    assertThat(purgedCounter("messages")).isGreaterThanOrEqualTo(4);
    assertThat(purgedCounter("message_status_history")).as("the two outbound texts had one history row each").isGreaterThanOrEqualTo(2);
  }

  @Test
  void finishedCallSessionDeliveriesParkedCallbacksCarrierLookupsAndIdempotencyKeysGoAfterTheirOwnPeriods() {
    String text = inbound("dispatched", "8 days");
    delivery(text, "delivered", "8 days");
    String recentText = inbound("dispatched", "1 day");
    delivery(recentText, "delivered", "1 day");
    String oldNumber = "+1415" + digits(7);
    String newNumber = "+1415" + digits(7);
    execute("INSERT INTO carrier_lookups (phone_number, carrier, looked_up_at) VALUES ($1, 'other', now() - interval '31 days'),"
        + " ($2, 'other', now() - interval '1 day')", oldNumber, newNumber);
    String oldSid = "SM" + digits(32);
    String newSid = "SM" + digits(32);
    execute("INSERT INTO unmatched_status_callbacks (twilio_sid, status, received_at) VALUES ($1, 'delivered', now() - interval '2 days'),"
        + " ($2, 'delivered', now())", oldSid, newSid);
    String oldKey = "key-" + digits(8);
    String newKey = "key-" + digits(8);
    execute("INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, status_code, created_at) VALUES"
        + " ('admin', $1, '\\x00', 200, now() - interval '25 hours'), ('admin', $2, '\\x00', 200, now() - interval '1 hour')", oldKey, newKey);

    Await.until("each is purged after its own period", () ->
        count("SELECT count(*) FROM call_session_deliveries WHERE message_id = $1", text) == 0
            && count("SELECT count(*) FROM carrier_lookups WHERE phone_number = $1", oldNumber) == 0
            && count("SELECT count(*) FROM unmatched_status_callbacks WHERE twilio_sid = $1", oldSid) == 0
            && count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = $1", oldKey) == 0);

    assertThat(exists(text)).as("the text itself stays for retention.messages").isTrue();
    assertThat(count("SELECT count(*) FROM call_session_deliveries WHERE message_id = $1", recentText)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM carrier_lookups WHERE phone_number = $1", newNumber)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM unmatched_status_callbacks WHERE twilio_sid = $1", newSid)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = $1", newKey)).isEqualTo(1);
  }

  @Test
  void oneReplicaAtATimeHoldsThePurgeAndHoldingItUntilTheNextRunKeepsOthersOut() {
    RetentionStore store = new RetentionStore(pg());
    String job = "lease-test-" + digits(6);

    assertThat(Await.result(store.acquire(job, "replica-a", Duration.ofMinutes(1)))).isTrue();
    assertThat(Await.result(store.acquire(job, "replica-b", Duration.ofMinutes(1)))).isFalse();
    assertThat(Await.result(store.acquire(job, "replica-a", Duration.ofMinutes(1)))).as("the holder renews").isTrue();
    assertThat(Await.result(store.hold(job, "replica-a", Duration.ZERO))).isTrue();
    assertThat(Await.result(store.acquire(job, "replica-b", Duration.ofMinutes(1)))).as("free once it lapsed").isTrue();
    assertThat(Await.result(store.hold(job, "replica-a", Duration.ofMinutes(1)))).as("the old holder lost it").isFalse();
  }

  private static String outbound(String status, String age) {
    String id = "msg_" + digits(16);
    execute("WITH m AS (INSERT INTO messages (id, direction, from_number, to_number, body, status, created_at)"
        + " VALUES ($1, 'outbound', '+14155550100', '+14155550101', 'hi', $2, now() - $3::text::interval) RETURNING id)"
        + " INSERT INTO message_status_history (message_id, status) SELECT id, $2 FROM m", id, status, age);
    return id;
  }

  private static String inbound(String dispatchState, String age) {
    String id = "msg_" + digits(16);
    execute("INSERT INTO messages (id, direction, twilio_sid, from_number, to_number, body, status, dispatch_state, created_at)"
        + " VALUES ($1, 'inbound', $1, '+14155550101', '+14155550100', 'hello', 'received', $2, now() - $3::text::interval)", id, dispatchState, age);
    return id;
  }

  private static void delivery(String messageId, String state, String age) {
    execute("INSERT INTO call_session_deliveries (message_id, call_id, received_at, state, created_at)"
        + " VALUES ($1, 'call-1', now() - $3::text::interval, $2, now() - $3::text::interval)", messageId, state, age);
  }

  private static boolean exists(String id) {
    return count("SELECT count(*) FROM messages WHERE id = $1", id) == 1;
  }

  private static long count(String sql, Object... args) {
    return Await.result(pg().preparedQuery(sql).execute(Tuple.from(args))).iterator().next().getLong(0);
  }

  private static void execute(String sql, Object... args) {
    Await.result(pg().preparedQuery(sql).execute(Tuple.from(args)));
  }

  private static double purgedCounter(String table) {
    return gateway.gateway().registry().counter("gateway.retention.purged", "table", table).count();
  }

  private static String digits(int n) {
    return UUID.randomUUID().toString().replace("-", "").replaceAll("[a-f]", "7").substring(0, n);
  }
}
