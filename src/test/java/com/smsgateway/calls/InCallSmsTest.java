package com.smsgateway.calls;

import com.smsgateway.testing.RedisTest;
import static com.smsgateway.calls.CallsApi.ADMIN;
import static com.smsgateway.calls.CallsApi.errorCode;
import static com.smsgateway.calls.CallsApi.freshNumber;
import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** In-call SMS end to end: the outbound pipeline to the Twilio sandbox, and inbound texts to a stand-in voice platform. */
@RedisTest
class InCallSmsTest {
  private static final List<JsonObject> sessionEvents = new CopyOnWriteArrayList<>();
  private static Vertx voicePlatformVertx;
  private static Gateway gateway;
  private static Http http;
  private static CallsApi api;

  @BeforeAll
  static void start() {
    voicePlatformVertx = Vertx.vertx();
    HttpServer voicePlatform = Await.result(voicePlatformVertx.createHttpServer()
        .requestHandler(request -> request.body().onSuccess(body -> {
          sessionEvents.add(body.toJsonObject());
          request.response().setStatusCode(204).end();
        }))
        .listen(0, "127.0.0.1"));
    gateway = Await.result(TestGateway.forClass(InCallSmsTest.class)
        .with("GATEWAY_CALL_SESSIONS_URL", "http://127.0.0.1:" + voicePlatform.actualPort() + "/sms-events")
        .with("GATEWAY_CALL_SESSIONS_SECRET", "in-call-secret-0123456789")
        .with("GATEWAY_CALL_SESSIONS_POLL_INTERVAL", "20ms")
        .with("GATEWAY_INBOUND_SWEEP_INTERVAL", "200ms")
        .start());
    http = new Http(gateway.port());
    api = new CallsApi(http);
  }

  @AfterAll
  static void stop() {
    http.close();
    Await.result(gateway.stop());
    Await.result(voicePlatformVertx.close());
  }

  private static final JsonObject PAYMENT_LINK = new JsonObject().put("template_id", "payment_link")
      .put("variables", new JsonObject().put("business_name", "Acme").put("payment_url", "https://pay.example/x1"));

  @Test
  void aCallWhoseAgentNumberCannotTextSendsTemplatesFromItsPinnedPoolNumber() {
    String poolNumber = freshNumber();
    api.usePool(poolNumber);
    JsonObject call = api.registeredCall("ws_incall", freshNumber(), freshNumber());
    String callId = call.getString("call_id");

    var first = sms(callId, PAYMENT_LINK, ADMIN);
    var second = sms(callId, PAYMENT_LINK, ADMIN);
    var freeText = sms(callId, new JsonObject().put("content", "hello"), ADMIN);

    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(202);
    JsonObject sent = first.bodyAsJsonObject();
    assertThat(sent.getString("from_number")).isEqualTo(poolNumber);
    assertThat(sent.getString("to_number")).isEqualTo(call.getString("customer_number"));
    assertThat(sent.getString("body")).isEqualTo("Acme: here is the secure payment link we just discussed: https://pay.example/x1 Reply STOP to opt out.");
    assertThat(sent.getInteger("segments")).isEqualTo(1);
    assertThat(sent.getString("status")).isEqualTo("queued");
    assertThat(second.bodyAsJsonObject().getString("from_number")).isEqualTo(poolNumber);
    assertThat(freeText.statusCode()).isEqualTo(422);
    assertThat(errorCode(freeText)).isEqualTo("pool_requires_template");
  }

  @Test
  void aRetryAfterTheReplicaDiedBeforeAnsweringAnswersTheTextItsFirstRunStored() {
    api.usePool(freshNumber());
    String callId = api.registeredCall("ws_incall", freshNumber(), freshNumber()).getString("call_id");
    String key = "sms-" + callId;
    var first = smsWithIdempotencyKey(callId, key);
    // What a replica killed after storing the text but before keeping its answer leaves: an unanswered claim that
    // nobody renews, whose lease has run out.
    Await.result(gateway.pg().preparedQuery("UPDATE idempotency_keys SET status_code = NULL, response_body = NULL,"
        + " created_at = now() - interval '2 seconds', claim_until = now() - interval '1 second' WHERE idempotency_key = $1")
        .execute(Tuple.of(key)));

    var retried = smsWithIdempotencyKey(callId, key);

    assertThat(retried.statusCode()).as(retried.bodyAsString()).isEqualTo(202);
    assertThat(retried.getHeader("Idempotent-Replayed")).isNull();
    assertThat(retried.bodyAsJsonObject().getString("message_id")).isEqualTo(first.bodyAsJsonObject().getString("message_id"));
    assertThat(Await.result(gateway.pg().preparedQuery("SELECT count(*) FROM messages WHERE call_id = $1").execute(Tuple.of(callId)))
        .iterator().next().getLong(0)).isEqualTo(1);
  }

  private static HttpResponse<Buffer> smsWithIdempotencyKey(String callId, String key) {
    return Http.send(http.request(HttpMethod.POST, "/v1/calls/" + callId + "/sms")
        .putHeader("Authorization", "Bearer " + ADMIN)
        .putHeader("Content-Type", "application/json")
        .putHeader("Idempotency-Key", key), PAYMENT_LINK.toBuffer());
  }

  @Test
  void anEnabledAgentNumberSendsFreeTextAndTemplates() {
    String agent = freshNumber();
    api.putNumber(agent, new JsonObject().put("type", "platform").put("workspace_id", "ws_incall").put("sms_status", "enabled"), ADMIN);
    String callId = api.registeredCall("ws_incall", agent, freshNumber()).getString("call_id");

    var freeText = sms(callId, new JsonObject().put("content", "Here is the link we talked about"), ADMIN);
    var template = sms(callId, PAYMENT_LINK, ADMIN);

    assertThat(freeText.statusCode()).isEqualTo(202);
    assertThat(freeText.bodyAsJsonObject().getString("from_number")).isEqualTo(agent);
    assertThat(template.bodyAsJsonObject().getString("from_number")).isEqualTo(agent);
  }

  @Test
  void anAgentNumberEnabledOrSuspendedThroughThisReplicaDecidesTheNextTextsSenderAtOnce() {
    String poolNumber = freshNumber();
    api.usePool(poolNumber);
    String agent = freshNumber();
    String callId = api.registeredCall("ws_incall", agent, freshNumber()).getString("call_id");
    assertThat(sms(callId, PAYMENT_LINK, ADMIN).bodyAsJsonObject().getString("from_number")).isEqualTo(poolNumber);

    api.putNumber(agent, new JsonObject().put("type", "platform").put("workspace_id", "ws_incall").put("sms_status", "enabled"), ADMIN);
    assertThat(sms(callId, PAYMENT_LINK, ADMIN).bodyAsJsonObject().getString("from_number")).isEqualTo(agent);

    api.putNumber(agent, new JsonObject().put("type", "platform").put("workspace_id", "ws_incall").put("sms_status", "suspended"), ADMIN);
    assertThat(sms(callId, PAYMENT_LINK, ADMIN).bodyAsJsonObject().getString("from_number")).isEqualTo(poolNumber);
  }

  @Test
  void unknownAndEndedCallsAre404AndTemplateErrorsAre422() {
    api.usePool(freshNumber());
    String callId = api.registeredCall("ws_incall", freshNumber(), freshNumber()).getString("call_id");

    var unknownTemplate = sms(callId, new JsonObject().put("template_id", "nope"), ADMIN);
    var missingVariable = sms(callId, new JsonObject().put("template_id", "payment_link")
        .put("variables", new JsonObject().put("business_name", "Acme")), ADMIN);
    api.endCall(callId, ADMIN);
    var ended = sms(callId, PAYMENT_LINK, ADMIN);

    assertThat(errorCode(unknownTemplate)).isEqualTo("unknown_template");
    assertThat(errorCode(missingVariable)).isEqualTo("missing_template_variable");
    assertThat(ended.statusCode()).isEqualTo(404);
    assertThat(sms("no-such-call", PAYMENT_LINK, ADMIN).statusCode()).isEqualTo(404);
  }

  @Test
  void anotherWorkspacesCallIs404ForListingAndAWorkspaceKeyMayNotText() {
    api.usePool(freshNumber());
    String callId = api.registeredCall("ws_incall", freshNumber(), freshNumber()).getString("call_id");
    assertThat(sms(callId, PAYMENT_LINK, api.voicePlatform()).statusCode()).isEqualTo(202);
    String otherKey = api.workspaceKey("ws_not_incall");

    var send = sms(callId, PAYMENT_LINK, otherKey);
    var list = http.get("/v1/calls/" + callId + "/sms", otherKey);

    assertThat(send.statusCode()).as(send.bodyAsString()).isEqualTo(403);
    assertThat(list.statusCode()).as(list.bodyAsString()).isEqualTo(404);
  }

  @Test
  void aCustomerWhoOptedOutOfThePoolNumberIs409() {
    String poolNumber = freshNumber();
    api.usePool(poolNumber);
    JsonObject call = api.registeredCall("ws_incall", freshNumber(), freshNumber());
    Await.result(gateway.services().optOuts().optOut(gateway.pg(), poolNumber, call.getString("customer_number"), "STOP"));

    var refused = sms(call.getString("call_id"), PAYMENT_LINK, ADMIN);

    assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(409);
    assertThat(errorCode(refused)).isEqualTo("recipient_opted_out");
  }

  @Test
  void theCustomersReplyToThePoolNumberReachesTheCallWithMediaAndTheHistoryHasBothDirections() {
    String poolNumber = freshNumber();
    api.usePool(poolNumber);
    JsonObject call = api.registeredCall("ws_incall", freshNumber(), freshNumber());
    String callId = call.getString("call_id");
    String customer = call.getString("customer_number");
    String sentId = sms(callId, PAYMENT_LINK, ADMIN).bodyAsJsonObject().getString("message_id");

    inbound(customer, poolNumber, "photo attached", new JsonArray().add("https://media.example/ME1.jpg"));

    Await.until("the reply reaches the call session", () -> sessionEvents.stream().anyMatch(e -> callId.equals(e.getString("call_id"))));
    JsonObject event = sessionEvents.stream().filter(e -> callId.equals(e.getString("call_id"))).findFirst().orElseThrow();
    assertThat(event.getString("body")).isEqualTo("photo attached");
    assertThat(event.getJsonArray("media").getJsonObject(0).getString("url")).isEqualTo("https://media.example/ME1.jpg");
    JsonArray history = http.get("/v1/calls/" + callId + "/sms", ADMIN).bodyAsJsonObject().getJsonArray("messages");
    assertThat(history.stream().map(m -> ((JsonObject) m).getString("direction"))).containsExactly("outbound", "inbound");
    JsonObject sent = history.getJsonObject(0);
    assertThat(sent.getString("message_id")).isEqualTo(sentId);
    assertThat(sent.getString("workspace_id")).as("the Message schema of GET /v1/messages/{id}").isEqualTo("ws_incall");
  }

  @Test
  void aTextToTheAgentNumberReachesTheCallBeforeTheAgentTextedAndAStrangerIsNotRouted() {
    String poolNumber = freshNumber();
    api.usePool(poolNumber);
    JsonObject call = api.registeredCall("ws_incall", freshNumber(), freshNumber());
    String callId = call.getString("call_id");
    assertThat(sms(callId, PAYMENT_LINK, ADMIN).statusCode()).isEqualTo(202);

    String fromStranger = inbound(freshNumber(), poolNumber, "who is this?", new JsonArray());
    inbound(call.getString("customer_number"), call.getString("agent_number"), "REF-778", new JsonArray());

    Await.until("the customer's text reaches the call", () -> sessionEvents.stream().anyMatch(e -> "REF-778".equals(e.getString("body"))));
    Await.until("the stranger's text is dispatched", () -> !"pending".equals(storedMessage(fromStranger).getString("dispatch_state")));
    assertThat(storedMessage(fromStranger).getString("call_id")).isNull();
    assertThat(sessionEvents.stream().map(e -> e.getString("body"))).doesNotContain("who is this?");
  }

  @Test
  void aTextWhoseDispatchFailedStillReachesTheCallBeforeALaterText() {
    String poolNumber = freshNumber();
    api.usePool(poolNumber);
    JsonObject call = api.registeredCall("ws_incall", freshNumber(), freshNumber());
    assertThat(sms(call.getString("call_id"), PAYMENT_LINK, ADMIN).statusCode()).isEqualTo(202);
    String customer = call.getString("customer_number");
    pendingText(customer, poolNumber, "first, hand-off lost", "crashed-replica", 1_000);

    inbound(customer, poolNumber, "second", new JsonArray());

    Await.until("both texts reach the call", () -> bodiesReceivedFrom(customer).size() == 2);
    assertThat(bodiesReceivedFrom(customer)).containsExactly("first, hand-off lost", "second");
  }

  @Test
  void anEarlierTextWhoseDispatchIsRetriedMuchLaterDoesNotHoldTheCallsTextsBack() {
    String poolNumber = freshNumber();
    api.usePool(poolNumber);
    JsonObject call = api.registeredCall("ws_incall", freshNumber(), freshNumber());
    assertThat(sms(call.getString("call_id"), PAYMENT_LINK, ADMIN).statusCode()).isEqualTo(202);
    String customer = call.getString("customer_number");
    // Its handlers kept failing: pending, in a retry pause far beyond call_sessions.order_wait.
    pendingText(customer, poolNumber, "retried in an hour", null, 3_600_000);

    inbound(customer, poolNumber, "meanwhile", new JsonArray());

    Await.until("the later text reaches the call", () -> bodiesReceivedFrom(customer).contains("meanwhile"));
    assertThat(bodiesReceivedFrom(customer)).doesNotContain("retried in an hour");
  }

  /** An inbound text pending dispatch, leased to {@code owner} (null: in a retry pause) for {@code leaseMillis} more. */
  private static void pendingText(String from, String to, String body, String owner, long leaseMillis) {
    Await.result(gateway.pg().preparedQuery("""
            INSERT INTO messages (id, direction, twilio_sid, account_sid, from_number, to_number, body, status,
                                  dispatch_state, dispatch_attempts, lease_owner, lease_until)
            VALUES ($1, 'inbound', $1, 'AC00000000000000000000000000000000', $2, $3, $4, 'received',
                    'pending', 1, $5, now() + $6 * interval '1 millisecond')
            """)
        .execute(Tuple.of("SM" + java.util.UUID.randomUUID().toString().replace("-", ""), from, to, body, owner, leaseMillis)));
  }

  private static List<String> bodiesReceivedFrom(String customer) {
    return sessionEvents.stream().filter(e -> customer.equals(e.getString("from_number"))).map(e -> e.getString("body")).toList();
  }

  private static HttpResponse<Buffer> sms(String callId, JsonObject body, String key) {
    return http.postJson("/v1/calls/" + callId + "/sms", key, body);
  }

  /** A signed inbound webhook through the sandbox; answers Twilio's MessageSid. */
  private static String inbound(String from, String to, String body, JsonArray mediaUrls) {
    var response = http.postJson("/sandbox/inbound", ADMIN,
        new JsonObject().put("from", from).put("to", to).put("body", body).put("media_urls", mediaUrls));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getInteger("webhook_status")).isEqualTo(200);
    return response.bodyAsJsonObject().getString("message_sid");
  }

  private static Row storedMessage(String twilioSid) {
    return Await.result(gateway.pg().preparedQuery("SELECT call_id, dispatch_state FROM messages WHERE twilio_sid = $1")
        .execute(Tuple.of(twilioSid))).iterator().next();
  }
}
