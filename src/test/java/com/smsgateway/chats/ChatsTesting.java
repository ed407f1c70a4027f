package com.smsgateway.chats;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The API calls chat tests make: numbers with chat agents, texts from customers, chats read back. */
final class ChatsTesting {
  static final String ADMIN = TestGateway.ADMIN_KEY;
  private static final AtomicInteger NEXT_NUMBER = new AtomicInteger((int) (System.nanoTime() % 5000));

  private final Http http;

  ChatsTesting(Gateway gateway) {
    this.http = new Http(gateway.port());
  }

  Http http() {
    return http;
  }

  /** A US number no other test of the JVM uses. */
  static String freshNumber() {
    int n = NEXT_NUMBER.getAndIncrement();
    return String.format("+1%03d555%04d", 700 + n / 10_000, n % 10_000);
  }

  /** An enabled platform number of {@code workspaceId} with a chat agent (and inbound webhook, when not null). */
  String chatNumber(String workspaceId, String chatAgentId, String inboundWebhookUrl) {
    String number = freshNumber();
    var put = Http.send(http.request(HttpMethod.PUT, "/v1/sms-numbers/" + number)
        .putHeader("Authorization", "Bearer " + ADMIN).putHeader("Content-Type", "application/json"),
        new JsonObject().put("type", "platform").put("workspace_id", workspaceId).put("sms_status", "enabled").toBuffer());
    assertThat(put.statusCode()).as(put.bodyAsString()).isIn(200, 201);
    setChatSettings(number, chatAgentId, inboundWebhookUrl, null, null);
    return number;
  }

  /** {@code PATCH /v1/sms-numbers/{n}} with the four chat settings (null detaches). */
  JsonObject setChatSettings(String number, String chatAgentId, String inboundWebhookUrl, Integer endAfterSilence, String autoCloseMessage) {
    var patched = Http.send(http.request(HttpMethod.PATCH, "/v1/sms-numbers/" + number)
        .putHeader("Authorization", "Bearer " + ADMIN).putHeader("Content-Type", "application/json"),
        new JsonObject().put("chat_agent_id", chatAgentId).put("inbound_webhook_url", inboundWebhookUrl)
            .put("end_after_silence", endAfterSilence).put("auto_close_message", autoCloseMessage).toBuffer());
    assertThat(patched.statusCode()).as(patched.bodyAsString()).isEqualTo(200);
    return patched.bodyAsJsonObject();
  }

  /** A text from {@code customer} to {@code number}, through the sandbox's signed Twilio webhook; answers its MessageSid. */
  String text(String customer, String number, String body) {
    var response = http.postJson("/sandbox/inbound", ADMIN, new JsonObject().put("from", customer).put("to", number).put("body", body));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getInteger("webhook_status")).isEqualTo(200);
    return response.bodyAsJsonObject().getString("message_sid");
  }

  /** The chats of a pair, newest first (admin view). */
  List<JsonObject> chatsOf(String number, String customer) {
    var response = http.get("/v1/sms-chats?phone_number=" + number.replace("+", "%2B") + "&limit=100", ADMIN);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("chats").stream().map(JsonObject.class::cast)
        .filter(chat -> customer.equals(chat.getString("customer_number"))).toList();
  }

  JsonObject chat(String chatId) {
    var response = http.get("/v1/sms-chats/" + chatId, ADMIN);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  /** The only chat of a pair, once there is one. */
  JsonObject onlyChat(String number, String customer) {
    Await.until("a chat exists for " + customer, () -> !chatsOf(number, customer).isEmpty());
    List<JsonObject> chats = chatsOf(number, customer);
    assertThat(chats).hasSize(1);
    return chat(chats.get(0).getString("chat_id"));
  }

  static List<String> contents(JsonObject chat, String role) {
    return messages(chat).stream().filter(m -> role.equals(m.getString("role"))).map(m -> m.getString("content")).toList();
  }

  static List<JsonObject> messages(JsonObject chat) {
    JsonArray messages = chat.getJsonArray("messages");
    return messages.stream().map(JsonObject.class::cast).toList();
  }

  HttpResponse<Buffer> createChat(JsonObject body, String apiKey, String idempotencyKey) {
    var request = http.request(HttpMethod.POST, "/v1/sms-chats")
        .putHeader("Authorization", "Bearer " + apiKey).putHeader("Content-Type", "application/json");
    if (idempotencyKey != null) {
      request.putHeader("Idempotency-Key", idempotencyKey);
    }
    return Http.send(request, body.toBuffer());
  }

  String workspaceKey(String workspaceId) {
    var created = http.postJson("/v1/api-keys", ADMIN, new JsonObject().put("role", "workspace").put("workspace_id", workspaceId));
    assertThat(created.statusCode()).isEqualTo(201);
    return created.bodyAsJsonObject().getString("key");
  }

  static String errorCode(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error").getString("code");
  }

  void close() {
    http.close();
  }
}
