package com.smsgateway.numbers;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Http;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.UUID;

/** The numbers API and the sandbox's accounts, as a customer and an admin drive them in tests. */
final class NumbersApi {
  static final String ADMIN = TestGateway.ADMIN_KEY;

  private final Http http;

  NumbersApi(Http http) {
    this.http = http;
  }

  String workspaceKey(String workspaceId) {
    var created = http.postJson("/v1/api-keys", ADMIN, new JsonObject().put("role", "workspace").put("workspace_id", workspaceId));
    assertThat(created.statusCode()).isEqualTo(201);
    return created.bodyAsJsonObject().getString("key");
  }

  HttpResponse<Buffer> buy(String apiKey, JsonObject body) {
    return http.postJson("/v1/sms-numbers", apiKey, body);
  }

  HttpResponse<Buffer> byo(String apiKey, JsonObject body) {
    return http.postJson("/v1/sms-numbers/byo", apiKey, body);
  }

  HttpResponse<Buffer> patch(String apiKey, String number, JsonObject body) {
    return Http.send(http.request(HttpMethod.PATCH, "/v1/sms-numbers/" + number)
        .putHeader("Authorization", "Bearer " + apiKey)
        .putHeader("Content-Type", "application/json"), body.toBuffer());
  }

  /** A sandbox Twilio account of a customer with the given numbers ({@code smsCapable} for each). */
  SandboxAccount sandboxAccount(String token, String... numbersThenCapability) {
    String sid = "AC" + UUID.randomUUID().toString().replace("-", "");
    JsonArray numbers = new JsonArray();
    for (int i = 0; i < numbersThenCapability.length; i += 2) {
      numbers.add(new JsonObject().put("phone_number", numbersThenCapability[i])
          .put("sms_capable", Boolean.parseBoolean(numbersThenCapability[i + 1])));
    }
    var created = http.postJson("/sandbox/accounts", ADMIN,
        new JsonObject().put("account_sid", sid).put("auth_token", token).put("phone_numbers", numbers));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return new SandboxAccount(sid, token);
  }

  record SandboxAccount(String accountSid, String authToken) {}

  static String errorCode(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error").getString("code");
  }
}
