package com.smsgateway.calls;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Http;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** The calls and numbers API as the tests use it: registering calls, managing the pool, fresh numbers and keys. */
final class CallsApi {
  static final String ADMIN = TestGateway.ADMIN_KEY;
  private static final AtomicInteger NEXT_NUMBER = new AtomicInteger(1000);

  private final Http http;
  private String voicePlatformKey;

  CallsApi(Http http) {
    this.http = http;
  }

  /** The voice platform's key (role voice_platform), which registers, ends and texts from calls; made once per client. */
  synchronized String voicePlatform() {
    if (voicePlatformKey == null) {
      var created = http.postJson("/v1/api-keys", ADMIN, new JsonObject().put("role", "voice_platform"));
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
      voicePlatformKey = created.bodyAsJsonObject().getString("key");
    }
    return voicePlatformKey;
  }

  /** A US number no other test of the JVM uses. */
  static String freshNumber() {
    int n = NEXT_NUMBER.getAndIncrement();
    return String.format("+1%03d555%04d", 200 + n / 10_000, n % 10_000);
  }

  static String freshCallId() {
    return "call-" + UUID.randomUUID();
  }

  static JsonObject callBody(String callId, String workspaceId, String agentNumber, String customerNumber) {
    return new JsonObject()
        .put("call_id", callId)
        .put("workspace_id", workspaceId)
        .put("agent_id", "agent_1")
        .put("agent_number", agentNumber)
        .put("customer_number", customerNumber);
  }

  HttpResponse<Buffer> registerCall(JsonObject body, String apiKey) {
    return http.postJson("/v1/calls", apiKey, body);
  }

  /** Registers a call (the voice platform's key) and checks it was created. */
  JsonObject registeredCall(String workspaceId, String agentNumber, String customerNumber) {
    var response = registerCall(callBody(freshCallId(), workspaceId, agentNumber, customerNumber), voicePlatform());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  HttpResponse<Buffer> endCall(String callId, String apiKey) {
    return http.delete("/v1/calls/" + callId, apiKey);
  }

  HttpResponse<Buffer> getCall(String callId, String apiKey) {
    return http.get("/v1/calls/" + callId, apiKey);
  }

  HttpResponse<Buffer> putNumber(String number, JsonObject body, String apiKey) {
    return Http.send(http.request(HttpMethod.PUT, "/v1/sms-numbers/" + number)
        .putHeader("Authorization", "Bearer " + apiKey)
        .putHeader("Content-Type", "application/json"), body.toBuffer());
  }

  /** Makes the pool exactly {@code numbers}. */
  void usePool(String... numbers) {
    http.get("/v1/pool-numbers", ADMIN).bodyAsJsonObject().getJsonArray("pool_numbers").forEach(entry ->
        assertThat(http.delete("/v1/pool-numbers/" + ((JsonObject) entry).getString("phone_number"), ADMIN).statusCode()).isEqualTo(204));
    for (String number : numbers) {
      var added = http.postJson("/v1/pool-numbers", ADMIN, new JsonObject().put("phone_number", number));
      assertThat(added.statusCode()).as(added.bodyAsString()).isEqualTo(201);
    }
  }

  /** A new workspace API key. */
  String workspaceKey(String workspaceId) {
    var created = http.postJson("/v1/api-keys", ADMIN, new JsonObject().put("role", "workspace").put("workspace_id", workspaceId));
    assertThat(created.statusCode()).isEqualTo(201);
    return created.bodyAsJsonObject().getString("key");
  }

  static String errorCode(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error").getString("code");
  }
}
