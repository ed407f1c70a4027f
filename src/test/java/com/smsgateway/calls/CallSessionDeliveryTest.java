package com.smsgateway.calls;

import com.smsgateway.testing.RedisTest;
import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Delivery of texts received during calls to a local HTTP server standing in for the voice platform. */
@RedisTest
class CallSessionDeliveryTest {
  private static final String SECRET = "call-session-secret-0123456789";
  private static final int MAX_ATTEMPTS = 3;
  private static final Pattern SIGNATURE = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})");

  /** A request the stand-in received, and whether it answered 2xx. */
  private record Received(JsonObject event, String rawBody, String signature, boolean accepted) {}

  private static final List<Received> received = new CopyOnWriteArrayList<>();
  private static final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
  /** Texts whose next delivery gets an answer that starts and never ends. */
  private static final Map<String, AtomicInteger> hangsLeft = new ConcurrentHashMap<>();
  private static Vertx voicePlatformVertx;
  private static HttpServer voicePlatform;
  private static Gateway gateway;
  private static CallSessionDeliveries deliveries;

  @BeforeAll
  static void start() {
    voicePlatformVertx = Vertx.vertx();
    voicePlatform = Await.result(voicePlatformVertx.createHttpServer()
        .requestHandler(request -> request.body().onSuccess(body -> {
          JsonObject event = body.toJsonObject();
          AtomicInteger hangs = hangsLeft.get(event.getString("message_id"));
          if (hangs != null && hangs.getAndDecrement() > 0) {
            received.add(new Received(event, body.toString(StandardCharsets.UTF_8), request.getHeader("X-Gateway-Signature"), false));
            request.response().setChunked(true).setStatusCode(200).write("{\"accepted\":");
            return;
          }
          AtomicInteger failures = failuresLeft.get(event.getString("message_id"));
          boolean accept = failures == null || failures.getAndDecrement() <= 0;
          received.add(new Received(event, body.toString(StandardCharsets.UTF_8), request.getHeader("X-Gateway-Signature"), accept));
          request.response().setStatusCode(accept ? 204 : 503).end();
        }))
        .listen(0, "127.0.0.1"));
    gateway = Await.result(TestGateway.forClass(CallSessionDeliveryTest.class)
        .with("GATEWAY_CALL_SESSIONS_URL", "http://127.0.0.1:" + voicePlatform.actualPort() + "/sms-events")
        .with("GATEWAY_CALL_SESSIONS_SECRET", SECRET)
        .with("GATEWAY_CALL_SESSIONS_MAX_ATTEMPTS", Integer.toString(MAX_ATTEMPTS))
        .with("GATEWAY_CALL_SESSIONS_INITIAL_BACKOFF", "10ms")
        .with("GATEWAY_CALL_SESSIONS_MAX_BACKOFF", "40ms")
        .with("GATEWAY_CALL_SESSIONS_POLL_INTERVAL", "20ms")
        .with("GATEWAY_CALL_SESSIONS_TIMEOUT", "1s")
        .start());
    deliveries = new CallSessionDeliveries(gateway.pg(), gateway.services().messages());
  }

  @AfterAll
  static void stop() {
    Await.result(gateway.stop());
    Await.result(voicePlatformVertx.close());
  }

  @Test
  void aTextReachesTheCallSessionSignedWithItsMedia() throws Exception {
    String callId = CallsApi.freshCallId();
    JsonArray media = new JsonArray().add(new JsonObject().put("url", "https://api.twilio.example/Media/ME1").put("content_type", "image/jpeg"));
    Instant receivedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    String messageId = UUID.randomUUID().toString();
    receivedText(messageId, callId, "here is the photo", media, receivedAt);

    Await.until("the text is delivered", () -> state(messageId).equals("delivered"));

    Received delivery = acceptedDeliveriesOf(messageId).get(0);
    JsonObject event = delivery.event();
    assertThat(event.getString("event")).isEqualTo("sms_received");
    assertThat(event.getString("call_id")).isEqualTo(callId);
    assertThat(event.getString("body")).isEqualTo("here is the photo");
    assertThat(event.getString("from_number")).isEqualTo("+14155550199");
    assertThat(event.getString("to_number")).isEqualTo("+14155550100");
    assertThat(event.getJsonArray("media")).isEqualTo(media);
    assertThat(Instant.parse(event.getString("received_at"))).isEqualTo(receivedAt);
    Matcher signature = SIGNATURE.matcher(delivery.signature());
    assertThat(signature.matches()).as(delivery.signature()).isTrue();
    assertThat(signature.group(2)).isEqualTo(hmacHex(signature.group(1) + "." + delivery.rawBody()));
  }

  @Test
  void aTextRefusedTwiceIsDeliveredOnceOnTheThirdTry() {
    String callId = CallsApi.freshCallId();
    String messageId = UUID.randomUUID().toString();
    failuresLeft.put(messageId, new AtomicInteger(2));
    receivedText(messageId, callId, "REF-12345", new JsonArray(), Instant.now());

    Await.until("the text is delivered", () -> state(messageId).equals("delivered"));

    assertThat(acceptedDeliveriesOf(messageId)).hasSize(1);
    assertThat(received.stream().filter(r -> r.event().getString("message_id").equals(messageId))).hasSize(3);
  }

  @Test
  void anAnswerThatNeverEndsIsCutOffAtTheDeadlineAndTheTextTriedAgain() {
    String callId = CallsApi.freshCallId();
    String messageId = UUID.randomUUID().toString();
    hangsLeft.put(messageId, new AtomicInteger(1));
    receivedText(messageId, callId, "slow platform", new JsonArray(), Instant.now());

    Await.until("the text is delivered", () -> state(messageId).equals("delivered"));

    assertThat(received.stream().filter(r -> r.event().getString("message_id").equals(messageId))).hasSize(2);
    assertThat(acceptedDeliveriesOf(messageId)).hasSize(1);
    assertThat(gateway.registry().get("gateway.work.jobs").tag("worker", "call_session_delivery").tag("outcome", "deadline_exceeded")
        .counter().count()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void textsOfOneCallArriveInOrderEvenWhenTheFirstNeedsRetries() {
    String callId = CallsApi.freshCallId();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String older = UUID.randomUUID().toString();
    String newer = UUID.randomUUID().toString();
    failuresLeft.put(older, new AtomicInteger(2));
    receivedText(older, callId, "first", new JsonArray(), now.minusSeconds(1));
    receivedText(newer, callId, "second", new JsonArray(), now);

    Await.until("both texts are delivered", () -> state(older).equals("delivered") && state(newer).equals("delivered"));

    List<String> order = received.stream().map(r -> r.event().getString("message_id"))
        .filter(id -> id.equals(older) || id.equals(newer)).toList();
    assertThat(order).containsExactly(older, older, older, newer);
  }

  @Test
  void aTextThatExhaustsItsTriesIsKeptCountedAndOfferedAgainBeforeTheCallsNextText() {
    String callId = CallsApi.freshCallId();
    String lost = UUID.randomUUID().toString();
    failuresLeft.put(lost, new AtomicInteger(MAX_ATTEMPTS));
    double undeliveredBefore = undeliveredCount();
    receivedText(lost, callId, "lost for now", new JsonArray(), Instant.now().minusSeconds(1));

    Await.until("the text is given up on", () -> state(lost).equals("undelivered_to_call"));
    assertThat(undeliveredCount()).isEqualTo(undeliveredBefore + 1);

    String next = UUID.randomUUID().toString();
    receivedText(next, callId, "next", new JsonArray(), Instant.now());

    Await.until("both texts are delivered", () -> state(lost).equals("delivered") && state(next).equals("delivered"));
    List<String> accepted = received.stream().filter(Received::accepted).map(r -> r.event().getString("message_id"))
        .filter(id -> id.equals(lost) || id.equals(next)).toList();
    assertThat(accepted).containsExactly(lost, next);
  }

  @Test
  void aCallOfAnotherWorkspaceWithTheSameIdNeitherWaitsForNorReceivesTheOthersTexts() {
    String callId = CallsApi.freshCallId();
    String stuckOfA = UUID.randomUUID().toString();
    receivedText(stuckOfA, "ws_delivery_a", callId, "held by a crashed replica", new JsonArray(), Instant.now().minusSeconds(1));
    Await.result(gateway.pg().preparedQuery("""
            UPDATE call_session_deliveries SET lease_owner = 'crashed-replica', lease_until = now() + interval '1 hour'
            WHERE message_id = $1""").execute(Tuple.of(stuckOfA)));
    String ofB = UUID.randomUUID().toString();

    receivedText(ofB, "ws_delivery_b", callId, "for workspace b", new JsonArray(), Instant.now());

    Await.until("workspace b's text is delivered", () -> state(ofB).equals("delivered"));
    JsonObject event = acceptedDeliveriesOf(ofB).get(0).event();
    assertThat(event.getString("call_id")).isEqualTo(callId);
    assertThat(event.getString("workspace_id")).isEqualTo("ws_delivery_b");
    assertThat(state(stuckOfA)).isEqualTo("pending");
  }

  private static String receivedText(String callId, String body, JsonArray media) {
    String messageId = UUID.randomUUID().toString();
    receivedText(messageId, callId, body, media, Instant.now());
    return messageId;
  }

  /** Stores an inbound text as the webhook would and queues it for the call, then wakes the deliverer. */
  private static void receivedText(String messageId, String callId, String body, JsonArray media, Instant receivedAt) {
    receivedText(messageId, "ws_delivery", callId, body, media, receivedAt);
  }

  private static void receivedText(String messageId, String workspaceId, String callId, String body, JsonArray media, Instant receivedAt) {
    Await.result(gateway.pg().preparedQuery("""
            INSERT INTO messages (id, direction, workspace_id, from_number, to_number, body, media, status, call_id, created_at)
            VALUES ($1, 'inbound', $6, '+14155550199', '+14155550100', $2, $3, 'received', $4, $5)""")
        .execute(Tuple.of(messageId, body, media, callId, receivedAt.atOffset(ZoneOffset.UTC), workspaceId)));
    Await.result(deliveries.enqueue(gateway.pg(), messageId, callId, workspaceId, receivedAt));
    CallSessionDeliveryWorker.wake(gateway.vertx());
  }

  private static String state(String messageId) {
    return Await.result(deliveries.state(messageId)).orElseThrow().state();
  }

  private static List<Received> acceptedDeliveriesOf(String messageId) {
    return received.stream().filter(r -> r.accepted() && r.event().getString("message_id").equals(messageId)).toList();
  }

  private static double undeliveredCount() {
    return gateway.registry().get("gateway.call_sessions.messages").tag("outcome", "undelivered_to_call").counter().count();
  }

  private static String hmacHex(String signed) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
  }
}
