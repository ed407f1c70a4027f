package com.smsgateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.messages.MessageStore;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Status callbacks posted as Twilio would (signed), late, twice, out of order and to two replicas at once. The
 * sandbox's own callbacks are held back (an hour's delay), so only the test's reach the gateway.
 */
class StatusCallbackTest {
  private static final String AGENT = "+14155550299";
  private static final Map<String, Integer> ORDER = Map.of("queued", 1, "sending", 2, "sent", 3, "delivered", 5, "read", 6);
  private static Gateway replicaA;
  private static Gateway replicaB;
  private static Http httpA;
  private static Http httpB;
  private static OutboundTesting outbound;
  private static String key;

  @BeforeAll
  static void start() {
    var replicas = OutboundTesting.quickGateway(StatusCallbackTest.class).with("GATEWAY_SANDBOX_CALLBACK_DELAY", "1h");
    replicaA = Await.result(replicas.start());
    replicaB = Await.result(replicas.start());
    httpA = new Http(replicaA.port());
    httpB = new Http(replicaB.port());
    outbound = new OutboundTesting(replicaA, httpA);
    key = outbound.workspaceKey("ws_status");
  }

  @AfterAll
  static void stop() {
    httpA.close();
    httpB.close();
    Await.result(replicaA.stop());
    Await.result(replicaB.stop());
  }

  @Test
  void shuffledDuplicatedCallbacksOnTwoReplicasOnlyMoveTheStatusForward() throws Exception {
    Random random = new Random(20240611);
    List<String> callbacks = List.of("queued", "sending", "sent", "sent", "delivered", "delivered", "read", "sent", "queued");
    for (int message = 0; message < 6; message++) {
      String sid = sentSid("+1415555031" + message);
      List<String> shuffled = new ArrayList<>(callbacks);
      Collections.shuffle(shuffled, random);

      postConcurrently(sid, shuffled, random);

      JsonObject stored = outbound.message(key, idOf(sid));
      assertThat(stored.getString("status")).as("order %s", shuffled).isEqualTo("read");
      assertForwardOnly(stored, shuffled);
    }
  }

  @Test
  void aLateSentNeverOverwritesDelivered() {
    String sid = sentSid("+14155550320");

    for (String status : List.of("delivered", "sent", "queued")) {
      assertThat(OutboundTesting.statusCallback(httpA, replicaA, sid, status, null).statusCode()).isEqualTo(200);
    }

    JsonObject stored = outbound.message(key, idOf(sid));
    assertThat(stored.getString("status")).isEqualTo("delivered");
    assertForwardOnly(stored, List.of("delivered", "sent", "queued"));
  }

  @Test
  void anUnknownSidIsAnswered200AndCounted() {
    double before = outbound.counter("gateway.twilio.status_callbacks", "outcome", "unknown_sid");

    var response = OutboundTesting.statusCallback(httpA, replicaA, "SM00000000000000000000000000000000", "delivered", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsString()).isEqualTo("<Response/>");
    assertThat(outbound.counter("gateway.twilio.status_callbacks", "outcome", "unknown_sid")).isEqualTo(before + 1);
  }

  @Test
  void error21610InACallbackFailsTheTextAndOptsTheRecipientOut() {
    String to = "+14155550330";
    String sid = sentSid(to);

    assertThat(OutboundTesting.statusCallback(httpB, replicaB, sid, "undelivered", "21610").statusCode()).isEqualTo(200);

    JsonObject stored = outbound.message(key, idOf(sid));
    assertThat(stored.getString("status")).isEqualTo("failed");
    assertThat(stored.getInteger("error_code")).isEqualTo(21610);
    assertThat(Await.result(replicaA.services().optOuts().isOptedOut(AGENT, to))).isTrue();
  }

  @Test
  void aCallbackThatOutrunsItsSidWaitsForItInMemoryInsteadOfBeingParked() {
    MessageStore store = replicaA.services().messages();
    String id = MessageStore.newId();
    String sid = "SM" + id.substring("msg_".length());
    Await.result(replicaA.pg().preparedQuery("""
        INSERT INTO messages (id, direction, account_sid, from_number, to_number, body, status, lease_owner, lease_until)
        VALUES ($1, 'outbound', 'ACheld', $2, '+14155550340', 'held', 'sending', 'test-owner', now() + interval '1 minute')""")
        .execute(Tuple.of(id, AGENT)));
    long missesBefore = statusBatches();

    var callback = store.applyStatusCallback(sid, "sent", null, null);
    Await.until("the callback found no text with its sid", () -> statusBatches() > missesBefore);
    assertThat(Await.result(store.recordAccepted(id, "test-owner", sid, "queued", null, "accepted"))).contains("sending");

    assertThat(Await.result(callback)).isEqualTo(MessageStore.CallbackOutcome.ADVANCED);
    assertThat(Await.result(store.find(id)).orElseThrow().status()).isEqualTo("sent");
    assertThat(Await.result(replicaA.pg().preparedQuery("SELECT count(*) FROM unmatched_status_callbacks WHERE twilio_sid = $1")
        .execute(Tuple.of(sid))).iterator().next().getLong(0)).as("parked callbacks").isZero();
  }

  private static long statusBatches() {
    var batches = replicaA.registry().find("gateway.db.batch.size").tag("writer", "status_callbacks").summary();
    return batches == null ? 0 : batches.count();
  }

  /** Sends a text and waits until the sender recorded Twilio's sid. */
  private static String sentSid(String to) {
    String id = outbound.sent(key, AGENT, to, "Status test");
    Await.until(id + " has a Twilio sid", () -> outbound.message(key, id).getString("twilio_sid") != null);
    return outbound.message(key, id).getString("twilio_sid");
  }

  private static String idOf(String sid) {
    var rows = Await.result(replicaA.pg().preparedQuery("SELECT id FROM messages WHERE twilio_sid = $1").execute(io.vertx.sqlclient.Tuple.of(sid)));
    return rows.iterator().next().getString("id");
  }

  /** Each callback on its own thread, each to a replica picked at random. */
  private static void postConcurrently(String sid, List<String> statuses, Random random) throws Exception {
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> answers = new ArrayList<>();
      for (String status : statuses) {
        boolean toA = random.nextBoolean();
        answers.add(threads.submit(() -> OutboundTesting.statusCallback(toA ? httpA : httpB, toA ? replicaA : replicaB, sid, status, null).statusCode()));
      }
      for (Future<Integer> answer : answers) {
        assertThat(answer.get()).isEqualTo(200);
      }
    }
  }

  /** The history only climbs, each status at most once, and ends at the message's status. */
  private static void assertForwardOnly(JsonObject message, List<String> order) {
    List<String> history = message.getJsonArray("status_history").stream()
        .map(entry -> ((JsonObject) entry).getString("status"))
        .toList();
    List<String> changes = new ArrayList<>();
    for (String status : history) {
      if (changes.isEmpty() || !changes.getLast().equals(status)) {
        changes.add(status);
      }
    }
    assertThat(changes).as("history %s after callbacks %s", history, order)
        .isSortedAccordingTo((a, b) -> Integer.compare(ORDER.get(a), ORDER.get(b)))
        .doesNotHaveDuplicates()
        .endsWith(message.getString("status"));
  }
}
