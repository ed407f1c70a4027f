package com.smsgateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.optout.OptOutRegistry;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import com.smsgateway.testing.Http;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The outbound API through the pipeline, the sender and the sandbox's Twilio: each test its own recipient. */
class OutboundSendTest {
  private static final String AGENT = "+14155550199";

  @RegisterExtension
  static final RunningGateway running = new RunningGateway(OutboundTesting.quickGateway(OutboundSendTest.class));
  private static OutboundTesting outbound;
  private static String key;

  @BeforeAll
  static void start() {
    outbound = new OutboundTesting(running.gateway(), running.http());
    key = outbound.workspaceKey("ws_send");
  }

  @Test
  void acceptsAsQueuedAndStatusCallbacksCarryItToDelivered() {
    var response = outbound.send(key, AGENT, "+14155550103", "Your table is ready");

    assertThat(response.statusCode()).isEqualTo(202);
    JsonObject accepted = response.bodyAsJsonObject();
    assertThat(accepted.getString("status")).isEqualTo("queued");
    assertThat(accepted.getInteger("segments")).isEqualTo(1);
    assertThat(accepted.getString("encoding")).isEqualTo("GSM-7");
    assertThat(accepted.getString("workspace_id")).isEqualTo("ws_send");
    JsonObject delivered = outbound.awaitStatus(key, accepted.getString("message_id"), "delivered");
    assertThat(delivered.getString("twilio_sid")).startsWith("SM");
    List<JsonObject> history = delivered.getJsonArray("status_history").stream().map(JsonObject.class::cast).toList();
    assertThat(history.stream().map(entry -> entry.getString("status")).distinct().toList()).containsExactly("queued", "sending", "sent", "delivered");
    assertThat(history).anySatisfy(entry -> assertThat(entry.getString("detail")).contains("accepted by Twilio as " + delivered.getString("twilio_sid")));
  }

  @Test
  void a500IsRetriedOnceThenTheTextIsDelivered() {
    String to = "+14155550113";
    outbound.failSends(to, 500, 20500, 1);
    long requestsBefore = outbound.sendRequests();

    String id = outbound.sent(key, AGENT, to, "Retry me");

    outbound.awaitStatus(key, id, "delivered");
    assertThat(outbound.sendRequests() - requestsBefore).isEqualTo(2);
  }

  @Test
  void a400IsNeverRetriedAndFailsWithTwilioErrorCode() {
    String to = "+14155550123";
    outbound.failSends(to, 400, 21211, 5);
    long requestsBefore = outbound.sendRequests();

    String id = outbound.sent(key, AGENT, to, "Never retried");

    JsonObject failed = outbound.awaitStatus(key, id, "failed");
    assertThat(failed.getInteger("error_code")).isEqualTo(21211);
    assertThat(outbound.sendRequests() - requestsBefore).isEqualTo(1);
  }

  @Test
  void twilio21610OptsTheRecipientOutAndLaterSendsAreRefused() {
    String to = "+14155550133";
    outbound.failSends(to, 400, 21610, 1);

    String id = outbound.sent(key, AGENT, to, "Hello?");

    assertThat(outbound.awaitStatus(key, id, "failed").getInteger("error_code")).isEqualTo(21610);
    var refused = outbound.send(key, AGENT, to, "Hello again");
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(errorCode(refused.bodyAsJsonObject())).isEqualTo("recipient_opted_out");
  }

  @Test
  void anotherWorkspacesNumberIsNotASender() {
    String theirs = "+14155550198";
    outbound.ownNumber("ws_someone_else", theirs);

    var refused = running.http().postJson("/v1/messages", key,
        new JsonObject().put("from_number", theirs).put("to_number", "+14155550163").put("body", "Hi"));

    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(errorCode(refused.bodyAsJsonObject())).isEqualTo("sender_not_allowed");
  }

  @Test
  void aCustomerWhoTextsStopIsRefusedUntilTheyTextStart() {
    String customer = "+14155550153";
    customerTexts(customer, AGENT, " Stop ");

    var refused = outbound.send(key, AGENT, customer, "Your order shipped");
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(errorCode(refused.bodyAsJsonObject())).isEqualTo("recipient_opted_out");

    customerTexts(customer, AGENT, "START");
    outbound.awaitStatus(key, outbound.sent(key, AGENT, customer, "Your order shipped"), "delivered");
  }

  /** A real, signed inbound webhook through the sandbox: answered only once the text and its keyword committed. */
  private static void customerTexts(String from, String to, String body) {
    var delivered = running.http().postJson("/sandbox/inbound", TestGateway.ADMIN_KEY,
        new JsonObject().put("from", from).put("to", to).put("body", body));
    assertThat(delivered.statusCode()).isEqualTo(200);
    assertThat(delivered.bodyAsJsonObject().getInteger("webhook_status")).isEqualTo(200);
  }

  @Test
  void anOptedOutRecipientIsRefusedUntilOptedBackIn() {
    String to = "+14155550143";
    OptOutRegistry optOuts = running.gateway().services().optOuts();
    Await.result(optOuts.optOut(running.gateway().pg(), AGENT, to, "STOP"));

    assertThat(outbound.send(key, AGENT, to, "Still there?").statusCode()).isEqualTo(409);

    Await.result(optOuts.optIn(running.gateway().pg(), AGENT, to, "START"));
    outbound.awaitStatus(key, outbound.sent(key, AGENT, to, "Welcome back"), "delivered");
  }

  @Test
  void aNonUsRecipientIs422UnsupportedCountry() {
    var response = outbound.send(key, AGENT, "+442071838750", "Hello London");

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(errorCode(response.bodyAsJsonObject())).isEqualTo("unsupported_country");
  }

  @Test
  void aMalformedNumberIs422NamingTheField() {
    var response = outbound.send(key, "4155550199", "+14155550153", "Hi");

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("message")).contains("from_number");
  }

  @Test
  void aBodyOver1600CharactersIs422BodyTooLong() {
    var response = outbound.send(key, AGENT, "+14155550163", "x".repeat(1601));

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(errorCode(response.bodyAsJsonObject())).isEqualTo("body_too_long");
  }

  @Test
  void anotherWorkspacesMessageIs404() {
    String id = outbound.sent(key, AGENT, "+14155550173", "Private");
    String otherKey = outbound.workspaceKey("ws_other");

    var response = running.http().get("/v1/messages/" + id, otherKey);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(errorCode(response.bodyAsJsonObject())).isEqualTo("not_found");
    outbound.awaitStatus(key, id, "delivered");
  }

  @Test
  void aRepeatWithTheSameIdempotencyKeyAnswersTheFirstMessage() {
    JsonObject request = new JsonObject().put("from_number", AGENT).put("to_number", "+14155550183").put("body", "Once only");

    var first = sendWithIdempotencyKey(request, "order-1");
    var repeat = sendWithIdempotencyKey(request, "order-1");
    var changed = sendWithIdempotencyKey(request.copy().put("body", "Twice?"), "order-1");

    assertThat(List.of(first.statusCode(), repeat.statusCode(), changed.statusCode())).containsExactly(202, 202, 409);
    assertThat(repeat.bodyAsJsonObject().getString("message_id")).isEqualTo(first.bodyAsJsonObject().getString("message_id"));
    outbound.awaitStatus(key, first.bodyAsJsonObject().getString("message_id"), "delivered");
  }

  @Test
  void aRetryAfterTheReplicaDiedBeforeAnsweringFindsTheStoredTextInsteadOfSendingASecond() {
    JsonObject request = new JsonObject().put("from_number", AGENT).put("to_number", "+14155550184").put("body", "Exactly once");
    var first = sendWithIdempotencyKey(request, "order-crash");
    String messageId = first.bodyAsJsonObject().getString("message_id");
    String sid = outbound.awaitStatus(key, messageId, "delivered").getString("twilio_sid");
    // What a replica killed after committing the text but before keeping its answer leaves: an unanswered claim that
    // nobody renews, whose lease has run out.
    Await.result(running.gateway().pg().query("UPDATE idempotency_keys SET status_code = NULL, response_body = NULL,"
        + " created_at = now() - interval '2 seconds', claim_until = now() - interval '1 second' WHERE idempotency_key = 'order-crash'").execute());

    double foundStored = running.gateway().registry().counter("gateway.outbound.found_stored").count();

    var retried = sendWithIdempotencyKey(request, "order-crash");

    assertThat(retried.statusCode()).isEqualTo(202);
    assertThat(retried.getHeader("Idempotent-Replayed")).isNull();
    assertThat(retried.bodyAsJsonObject().getString("message_id")).isEqualTo(messageId);
    var texts = Await.result(running.gateway().pg().query("SELECT id, twilio_sid FROM messages WHERE to_number = '+14155550184'").execute());
    assertThat(texts.size()).isEqualTo(1);
    assertThat(texts.iterator().next().getString("twilio_sid")).isEqualTo(sid);
    assertThat(running.gateway().registry().counter("gateway.outbound.found_stored").count()).isEqualTo(foundStored + 1);
  }

  @Test
  void anotherBodyTakingOverADeadReplicasClaimSendsItsOwnText() {
    JsonObject request = new JsonObject().put("from_number", AGENT).put("to_number", "+14155550186").put("body", "First body");
    String first = sendWithIdempotencyKey(request, "order-changed").bodyAsJsonObject().getString("message_id");
    Await.result(running.gateway().pg().query("UPDATE idempotency_keys SET status_code = NULL, response_body = NULL,"
        + " created_at = now() - interval '2 seconds', claim_until = now() - interval '1 second' WHERE idempotency_key = 'order-changed'").execute());

    var other = sendWithIdempotencyKey(request.copy().put("body", "Second body"), "order-changed");

    assertThat(other.statusCode()).as(other.bodyAsString()).isEqualTo(202);
    assertThat(other.bodyAsJsonObject().getString("message_id")).isNotEqualTo(first);
    assertThat(other.bodyAsJsonObject().getString("body")).isEqualTo("Second body");
    // Both are sent before the next test, which may count sends.
    outbound.awaitStatus(key, first, "delivered");
    outbound.awaitStatus(key, other.bodyAsJsonObject().getString("message_id"), "delivered");
  }

  @Test
  void aKeyUsedAgainAfterItsTtlSendsANewText() {
    JsonObject request = new JsonObject().put("from_number", AGENT).put("to_number", "+14155550185").put("body", "Daily reminder");
    String first = sendWithIdempotencyKey(request, "reminder").bodyAsJsonObject().getString("message_id");
    Await.result(running.gateway().pg().query("UPDATE idempotency_keys SET created_at = now() - interval '25 hours'"
        + " WHERE idempotency_key = 'reminder'").execute());

    var next = sendWithIdempotencyKey(request, "reminder");

    assertThat(next.statusCode()).isEqualTo(202);
    assertThat(next.bodyAsJsonObject().getString("message_id")).isNotEqualTo(first);
    outbound.awaitStatus(key, first, "delivered");
    outbound.awaitStatus(key, next.bodyAsJsonObject().getString("message_id"), "delivered");
  }

  private static HttpResponse<Buffer> sendWithIdempotencyKey(JsonObject request, String idempotencyKey) {
    outbound.ownNumber("ws_send", request.getString("from_number")); // as outbound.send does: no test relies on another's
    return Http.send(running.http().request(HttpMethod.POST, "/v1/messages")
        .putHeader("Authorization", "Bearer " + key)
        .putHeader("Content-Type", "application/json")
        .putHeader("Idempotency-Key", idempotencyKey), request.toBuffer());
  }

  private static String errorCode(JsonObject body) {
    return body.getJsonObject("error").getString("code");
  }
}
