package com.smsgateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.messages.Message;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST /twilio/messages} on two replicas: verification, validation, durable storage once per MessageSid. */
class InboundWebhookTest {
  private static final String AGENT = "+14155550199";
  private static final String CUSTOMER = "+14155550100";
  private static final RecordingHandler handler = new RecordingHandler("test_calls", AGENT);

  private static final TestGateway replicas = TestGateway.forClass(InboundWebhookTest.class).withInboundHandler(handler);
  @RegisterExtension
  static final RunningGateway replicaA = new RunningGateway(replicas);
  @RegisterExtension
  static final RunningGateway replicaB = new RunningGateway(replicas);
  private static final TwilioInboundClient twilioA = new TwilioInboundClient(replicaA);
  private static final TwilioInboundClient twilioB = new TwilioInboundClient(replicaB);

  private static double rejected(String reason) {
    return StoredInbound.counter(replicaA, "gateway.twilio.webhooks.rejected", "endpoint", "messages", "reason", reason);
  }

  private static void assertRejected(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo(code);
  }

  @Test
  void aSignedTextIsStoredWithAllItsParametersThenAnsweredWithEmptyTwiml() {
    String sid = TwilioInboundClient.newSid();

    HttpResponse<Buffer> response = twilioA.post(TwilioInboundClient.sms(sid, CUSTOMER, AGENT, "Table for two at 7?"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("text/xml");
    assertThat(response.bodyAsString()).isEqualTo("<Response/>");
    JsonObject row = StoredInbound.row(replicaA, sid).orElseThrow();
    assertThat(row.getString("direction")).isEqualTo("inbound");
    assertThat(row.getString("account_sid")).isEqualTo(replicaA.gateway().services().twilioAccounts().platform().accountSid());
    assertThat(row.getString("from_number")).isEqualTo(CUSTOMER);
    assertThat(row.getString("to_number")).isEqualTo(AGENT);
    assertThat(row.getString("body")).isEqualTo("Table for two at 7?");
    assertThat(row.getInteger("num_segments")).isEqualTo(1);
    assertThat(row.getJsonArray("media")).isEmpty();
    assertThat(row.getJsonObject("raw_params").getString("MessagingServiceSid")).isEqualTo("MG00000000000000000000000000000000");
    assertThat(row.getJsonObject("raw_params").getString("SmsStatus")).isEqualTo("received");
  }

  @Test
  void anMmsKeepsEveryMediaItemAndUnknownParameters() {
    String sid = TwilioInboundClient.newSid();
    MultiMap params = TwilioInboundClient.sms(sid, CUSTOMER, AGENT, "Here are the photos")
        .set("NumMedia", "3")
        .add("MediaUrl0", "https://api.twilio.com/media/ME0").add("MediaContentType0", "image/jpeg")
        .add("MediaUrl1", "https://api.twilio.com/media/ME1").add("MediaContentType1", "image/png")
        .add("MediaUrl2", "https://api.twilio.com/media/ME2").add("MediaContentType2", "video/mp4")
        .add("AddOns", "{\"status\":\"successful\"}")
        .add("SomeFutureTwilioField", "kept as sent");

    assertThat(twilioA.post(params).statusCode()).isEqualTo(200);

    JsonObject row = StoredInbound.row(replicaA, sid).orElseThrow();
    assertThat(row.getJsonArray("media")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("url", "https://api.twilio.com/media/ME0").put("content_type", "image/jpeg"))
        .add(new JsonObject().put("url", "https://api.twilio.com/media/ME1").put("content_type", "image/png"))
        .add(new JsonObject().put("url", "https://api.twilio.com/media/ME2").put("content_type", "video/mp4")));
    JsonObject raw = row.getJsonObject("raw_params");
    assertThat(raw.getString("SomeFutureTwilioField")).isEqualTo("kept as sent");
    assertThat(raw.getString("AddOns")).isEqualTo("{\"status\":\"successful\"}");
    assertThat(raw.fieldNames()).containsAll(params.names());
    Await.until("the MMS is offered to the handler", () -> handler.offersOf(sid).size() == 1);
    assertThat(handler.offersOf(sid).get(0).media()).containsExactly(
        new Message.Media("https://api.twilio.com/media/ME0", "image/jpeg"),
        new Message.Media("https://api.twilio.com/media/ME1", "image/png"),
        new Message.Media("https://api.twilio.com/media/ME2", "video/mp4"));
  }

  /** Sends the webhook of {@code sid}; it must be refused by verification, counted under {@code reason}, not stored. */
  private static void assertRefusedByVerification(String sid, int status, String code, String reason, Supplier<HttpResponse<Buffer>> send) {
    double before = rejected(reason);

    HttpResponse<Buffer> response = send.get();

    assertRejected(response, status, code);
    assertThat(StoredInbound.count(replicaA, sid)).isZero();
    assertThat(rejected(reason)).isEqualTo(before + 1);
  }

  @Test
  void aTamperedBodyIsRefusedAndNothingStored() {
    String sid = TwilioInboundClient.newSid();
    MultiMap signed = TwilioInboundClient.sms(sid, CUSTOMER, AGENT, "Pay 10 dollars");
    MultiMap tampered = MultiMap.caseInsensitiveMultiMap().addAll(signed).set("Body", "Pay 1000 dollars");

    assertRefusedByVerification(sid, 403, "invalid_signature", "invalid_signature", () -> twilioA.postRaw(
        TwilioInboundClient.signature(twilioA.url(), signed), TwilioInboundClient.FORM, TwilioInboundClient.form(tampered)));
  }

  @Test
  void aSignatureOverAnotherUrlIsRefused() {
    String sid = TwilioInboundClient.newSid();
    MultiMap params = TwilioInboundClient.sms(sid, CUSTOMER, AGENT, "hello");

    assertRefusedByVerification(sid, 403, "invalid_signature", "invalid_signature", () -> twilioA.postRaw(
        TwilioInboundClient.signature("https://elsewhere.example.com/twilio/messages", params), TwilioInboundClient.FORM,
        TwilioInboundClient.form(params)));
  }

  @Test
  void aMissingSignatureIsRefused() {
    String sid = TwilioInboundClient.newSid();

    assertRefusedByVerification(sid, 403, "missing_signature", "missing_signature", () -> twilioA.postRaw(
        null, TwilioInboundClient.FORM, TwilioInboundClient.form(TwilioInboundClient.sms(sid, CUSTOMER, AGENT, "hello"))));
  }

  @Test
  void anUnknownAccountIsRefusedEvenWhenSignedWithOurToken() {
    String sid = TwilioInboundClient.newSid();
    MultiMap params = TwilioInboundClient.sms(sid, CUSTOMER, AGENT, "hello").set("AccountSid", "AC" + "f".repeat(32));

    assertRefusedByVerification(sid, 403, "unknown_account", "unknown_account", () -> twilioA.post(params));
  }

  @Test
  void aNonFormBodyIs415() {
    String sid = TwilioInboundClient.newSid();

    assertRefusedByVerification(sid, 415, "unsupported_media_type", "content_type", () -> twilioA.postRaw(
        "irrelevant", "application/json", new JsonObject().put("MessageSid", sid).toBuffer()));
  }

  @Test
  void aBodyOver64KibIs413AndNothingStored() {
    String sid = TwilioInboundClient.newSid();
    MultiMap params = TwilioInboundClient.sms(sid, CUSTOMER, AGENT, "x".repeat(70 * 1024));

    HttpResponse<Buffer> response = twilioA.post(params);

    assertRejected(response, 413, "payload_too_large");
    assertThat(StoredInbound.count(replicaA, sid)).isZero();
  }

  @Test
  void moreFieldsThanTheBoundIs413AndNothingStored() {
    String sid = TwilioInboundClient.newSid();
    MultiMap params = TwilioInboundClient.sms(sid, CUSTOMER, AGENT, "hello");
    for (int i = 0; i < 300; i++) {
      params.add("Extra" + i, "x");
    }

    HttpResponse<Buffer> response = twilioA.post(params);

    assertRejected(response, 413, "too_many_fields");
    assertThat(StoredInbound.count(replicaA, sid)).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"MessageSid", "From", "To"})
  void aWebhookWithoutARequiredParameterIs400(String missing) {
    String sid = TwilioInboundClient.newSid();
    MultiMap params = TwilioInboundClient.sms(sid, CUSTOMER, AGENT, "hello");
    params.remove(missing);

    HttpResponse<Buffer> response = twilioA.post(params);

    assertRejected(response, 400, "missing_parameter");
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("message")).contains(missing);
    assertThat(StoredInbound.count(replicaA, sid)).isZero();
  }

  @Test
  void aMalformedMediaCountIs400AndNothingStored() {
    String sid = TwilioInboundClient.newSid();

    HttpResponse<Buffer> response = twilioA.post(TwilioInboundClient.sms(sid, CUSTOMER, AGENT, "hi").set("NumMedia", "2"));

    assertRejected(response, 400, "invalid_parameter");
    assertThat(StoredInbound.count(replicaA, sid)).isZero();
  }

  @Test
  void aRetriedWebhookIsAnsweredAgainButStoredAndDispatchedOnce() {
    String sid = TwilioInboundClient.newSid();
    MultiMap params = TwilioInboundClient.sms(sid, CUSTOMER, AGENT, "Running late");
    double duplicatesBefore = StoredInbound.counter(replicaA, "gateway.inbound.duplicates");

    HttpResponse<Buffer> first = twilioA.post(params);
    Await.until("the text is dispatched", () -> "dispatched".equals(StoredInbound.dispatchState(replicaA, sid)));
    HttpResponse<Buffer> retry = twilioA.post(params);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(retry.bodyAsString()).isEqualTo("<Response/>");
    assertThat(StoredInbound.count(replicaA, sid)).isEqualTo(1);
    assertThat(StoredInbound.counter(replicaA, "gateway.inbound.duplicates")).isEqualTo(duplicatesBefore + 1);
    assertThat(handler.offersOf(sid)).hasSize(1);
  }

  @Test
  void copiesArrivingAtOnceOnTwoReplicasAreStoredAndDispatchedOnce() {
    String sid = TwilioInboundClient.newSid();
    MultiMap params = TwilioInboundClient.sms(sid, CUSTOMER, AGENT, "Photo incoming");
    double receivedBefore = received();

    List<Future<HttpResponse<Buffer>>> copies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      copies.add((i % 2 == 0 ? twilioA : twilioB).postAsync(params));
    }
    Await.result(Future.all(copies));

    assertThat(copies).allSatisfy(copy -> assertThat(copy.result().statusCode()).isEqualTo(200));
    assertThat(StoredInbound.count(replicaA, sid)).isEqualTo(1);
    assertThat(received()).isEqualTo(receivedBefore + 1);
    Await.until("the text is dispatched", () -> "dispatched".equals(StoredInbound.dispatchState(replicaA, sid)));
    assertThat(handler.offersOf(sid)).hasSize(1);
  }

  private static double received() {
    return StoredInbound.counter(replicaA, "gateway.inbound.received") + StoredInbound.counter(replicaB, "gateway.inbound.received");
  }

  @Test
  void theSandboxDeliversASignedTextEndToEnd() {
    HttpResponse<Buffer> response = replicaB.http().postJson("/sandbox/inbound", TestGateway.ADMIN_KEY, new JsonObject()
        .put("from", CUSTOMER).put("to", AGENT).put("body", "See attached")
        .put("media_urls", new JsonArray().add("https://example.com/receipt.png")));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getInteger("webhook_status")).isEqualTo(200);
    String sid = response.bodyAsJsonObject().getString("message_sid");
    JsonObject row = StoredInbound.row(replicaB, sid).orElseThrow();
    assertThat(row.getString("body")).isEqualTo("See attached");
    assertThat(row.getJsonArray("media").getJsonObject(0).getString("url")).isEqualTo("https://example.com/receipt.png");
    assertThat(row.getJsonArray("media").getJsonObject(0).getString("content_type")).isEqualTo("image/png");
    Await.until("the text is offered to the handler", () -> handler.offersOf(sid).size() == 1);
    assertThat(row.getJsonObject("raw_params").getString("AccountSid")).isEqualTo(row.getString("account_sid"));
  }
}
