package com.smsgateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.twilio.TwilioAccount;
import com.smsgateway.twilio.TwilioApi;
import com.smsgateway.twilio.TwilioConfig;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Texts Twilio accepted whose status callbacks never came. The rows are written as the sender leaves them after
 * Twilio's answer (sid recorded, status 'sent'), for sids the sandbox has delivered without calling back; two
 * replicas, both talking to replica A's sandbox, recheck them with a tiny outbound.status_recheck_after.
 */
class OutboundStatusRecheckTest {
  private static final String AGENT = "+14155550699";
  private static final String WORKSPACE = "ws_recheck";
  private static final String LEFT_WITHOUT_CALLBACKS = """
      INSERT INTO messages (id, direction, account_sid, workspace_id, from_number, to_number, body, num_segments, encoding,
                            status, sender_kind, attempts, last_attempt_at, twilio_sid, updated_at)
      VALUES ($1, 'outbound', $2, $3, $4, $5, 'Callbacks lost', 1, 'GSM-7', $6, 'platform', 1,
              now() - interval '1 minute', $7, now() - interval '1 minute')
      """;
  private static Gateway replicaA;
  private static Gateway replicaB;
  private static Http httpA;
  private static OutboundTesting outbound;
  private static String key;
  private static TwilioAccount platform;

  @BeforeAll
  static void start() {
    var replicas = OutboundTesting.quickGateway(OutboundStatusRecheckTest.class)
        .with("GATEWAY_OUTBOUND_RECONCILE_INTERVAL", "100ms")
        .with("GATEWAY_OUTBOUND_STATUS_RECHECK_AFTER", "100ms")
        .with("GATEWAY_OUTBOUND_BATCH_SIZE", "3");
    replicaA = Await.result(replicas.start());
    // Each replica's sandbox knows only the messages sent through it: B asks A's.
    replicaB = Await.result(replicas.with("GATEWAY_TWILIO_API_BASE_URL", replicaA.config().publicBaseUrl() + TwilioConfig.SANDBOX_PATH).start());
    httpA = new Http(replicaA.port());
    outbound = new OutboundTesting(replicaA, httpA);
    key = outbound.workspaceKey(WORKSPACE);
    platform = replicaA.services().twilioAccounts().platform();
  }

  @AfterAll
  static void stop() {
    httpA.close();
    Await.result(replicaA.stop());
    Await.result(replicaB.stop());
  }

  @Test
  void aTextWhoseCallbacksWereLostEndsDeliveredByARecheck() {
    String sid = deliveredWithoutCallbacks("+14155550601");
    double advancedBefore = rechecks("advanced");

    leaveWithoutCallbacks("msg_recheck_lost", "+14155550601", "sent", sid);

    JsonObject message = outbound.awaitStatus(key, "msg_recheck_lost", "delivered");
    assertThat(message.getJsonArray("status_history").stream().map(JsonObject.class::cast).toList())
        .singleElement()
        .satisfies(entry -> {
          assertThat(entry.getString("status")).isEqualTo("delivered");
          assertThat(entry.getString("detail")).startsWith("status recheck");
        });
    assertThat(rechecks("advanced")).isEqualTo(advancedBefore + 1);
  }

  @Test
  void aTextInAFinalStatusIsNeverFetched() {
    String sid = deliveredWithoutCallbacks("+14155550611");
    long fetchesBefore = fetches();

    leaveWithoutCallbacks("msg_recheck_final", "+14155550612", "delivered", "SM0000000000000000000000000000f1a1");
    leaveWithoutCallbacks("msg_recheck_beside_final", "+14155550611", "sent", sid);

    // A round that could have taken the final text took the one beside it.
    outbound.awaitStatus(key, "msg_recheck_beside_final", "delivered");
    assertThat(fetches() - fetchesBefore).isEqualTo(1);
    var checked = Await.result(replicaA.pg().preparedQuery("SELECT status_checked_at FROM messages WHERE id = $1")
        .execute(Tuple.of("msg_recheck_final")));
    assertThat(checked.iterator().next().getValue("status_checked_at")).isNull();
  }

  @Test
  void twoReplicasFetchEachTextOnce() {
    Map<String, String> sidById = new LinkedHashMap<>();
    for (int n = 0; n < 12; n++) {
      String to = String.format("+141555506%02d", 20 + n);
      sidById.put("msg_recheck_race_" + n, deliveredWithoutCallbacks(to));
    }
    long fetchesBefore = fetches();

    List<String> ids = new ArrayList<>(sidById.keySet());
    for (int n = 0; n < ids.size(); n++) {
      leaveWithoutCallbacks(ids.get(n), String.format("+141555506%02d", 20 + n), "sent", sidById.get(ids.get(n)));
    }

    for (String id : ids) {
      JsonObject message = outbound.awaitStatus(key, id, "delivered");
      assertThat(message.getJsonArray("status_history")).as("history of %s", id).hasSize(1);
    }
    assertThat(fetches() - fetchesBefore).as("Twilio fetches by both replicas").isEqualTo(ids.size());
  }

  /** Sends through A's sandbox with a status callback nobody receives, and waits until the sandbox has it delivered. */
  private static String deliveredWithoutCallbacks(String to) {
    TwilioApi twilio = replicaA.services().twilioApi();
    String sid = Await.result(twilio.sendMessage(platform, AGENT, to, "Callbacks lost", List.of(),
        replicaA.config().publicBaseUrl() + "/callbacks-that-get-lost")).sid();
    Await.until(sid + " delivered at the sandbox", () -> "delivered".equals(Await.result(twilio.fetchMessage(platform, sid)).status()));
    return sid;
  }

  private static void leaveWithoutCallbacks(String id, String to, String status, String sid) {
    Await.result(replicaA.pg().preparedQuery(LEFT_WITHOUT_CALLBACKS)
        .execute(Tuple.of(id, platform.accountSid(), WORKSPACE, AGENT, to, status, sid)));
  }

  /** Fetch requests both replicas made to Twilio (the sandbox), failed ones included. */
  private static long fetches() {
    return List.of(replicaA, replicaB).stream()
        .flatMap(replica -> replica.registry().find("gateway.twilio.api.latency").tag("operation", TwilioApi.FETCH_MESSAGE).timers().stream())
        .mapToLong(Timer::count)
        .sum();
  }

  private static double rechecks(String outcome) {
    return List.of(replicaA, replicaB).stream()
        .map(replica -> replica.registry().find("gateway.outbound.status_rechecks").tag("outcome", outcome).counter())
        .mapToDouble(counter -> counter == null ? 0 : counter.count())
        .sum();
  }
}
