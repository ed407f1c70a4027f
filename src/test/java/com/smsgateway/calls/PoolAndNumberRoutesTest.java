package com.smsgateway.calls;

import static com.smsgateway.calls.CallsApi.ADMIN;
import static com.smsgateway.calls.CallsApi.errorCode;
import static com.smsgateway.calls.CallsApi.freshNumber;
import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Http;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /v1/pool-numbers}, {@code /v1/sms-numbers/{phone_number}} and {@code /v1/sms-templates} over HTTP. */
class PoolAndNumberRoutesTest {
  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(PoolAndNumberRoutesTest.class));
  private static Http http;
  private static CallsApi api;
  private static String workspaceKey;

  @BeforeAll
  static void clients() {
    http = running.http();
    api = new CallsApi(http);
    workspaceKey = api.workspaceKey("ws_numbers");
  }

  @Test
  void adminsAddListAndDeletePoolNumbers() {
    String number = freshNumber();

    var added = http.postJson("/v1/pool-numbers", ADMIN, new JsonObject().put("phone_number", number));
    var duplicate = http.postJson("/v1/pool-numbers", ADMIN, new JsonObject().put("phone_number", number));
    var listed = http.get("/v1/pool-numbers", ADMIN).bodyAsJsonObject().getJsonArray("pool_numbers");

    assertThat(added.statusCode()).isEqualTo(201);
    assertThat(added.bodyAsJsonObject().getString("type")).isEqualTo("pool");
    assertThat(added.bodyAsJsonObject().getBoolean("can_send_sms")).isTrue();
    assertThat(duplicate.statusCode()).isEqualTo(409);
    assertThat(listed.stream().map(n -> ((JsonObject) n).getString("phone_number"))).contains(number);
    assertThat(http.delete("/v1/pool-numbers/" + number, ADMIN).statusCode()).isEqualTo(204);
    assertThat(http.delete("/v1/pool-numbers/" + number, ADMIN).statusCode()).isEqualTo(404);
  }

  @Test
  void poolRoutesAreAdminOnly() {
    var add = http.postJson("/v1/pool-numbers", workspaceKey, new JsonObject().put("phone_number", freshNumber()));

    assertThat(add.statusCode()).isEqualTo(403);
    assertThat(http.get("/v1/pool-numbers", workspaceKey).statusCode()).isEqualTo(403);
    assertThat(http.delete("/v1/pool-numbers/" + freshNumber(), workspaceKey).statusCode()).isEqualTo(403);
  }

  @Test
  void aNonUsNumberIs422NamingTheField() {
    var add = http.postJson("/v1/pool-numbers", ADMIN, new JsonObject().put("phone_number", "4155550100"));

    assertThat(add.statusCode()).isEqualTo(422);
    assertThat(add.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("phone_number");
  }

  @Test
  void aPlatformNumberMaySendOnlyWhenEnabledAndAByoNumberAlways() {
    String platform = freshNumber();
    String byo = freshNumber();

    var registered = api.putNumber(platform, new JsonObject().put("type", "platform").put("workspace_id", "ws_numbers"), ADMIN);
    var enabled = api.putNumber(platform,
        new JsonObject().put("type", "platform").put("workspace_id", "ws_numbers").put("sms_status", "enabled"), ADMIN);
    var ownTwilio = api.putNumber(byo, new JsonObject().put("type", "byo_twilio").put("workspace_id", "ws_numbers")
        .put("account_sid", "AC0123456789abcdef0123456789abcdef"), ADMIN);

    assertThat(registered.statusCode()).isEqualTo(201);
    assertThat(registered.bodyAsJsonObject().getString("sms_status")).isEqualTo("a2p_required");
    assertThat(registered.bodyAsJsonObject().getBoolean("can_send_sms")).isFalse();
    assertThat(enabled.statusCode()).isEqualTo(200);
    assertThat(enabled.bodyAsJsonObject().getBoolean("can_send_sms")).isTrue();
    assertThat(ownTwilio.bodyAsJsonObject().getBoolean("can_send_sms")).isTrue();
  }

  @Test
  void numbersAreScopedToTheirWorkspaceAndRegisteredOnlyByAdmins() {
    String number = freshNumber();
    api.putNumber(number, new JsonObject().put("type", "platform").put("workspace_id", "ws_numbers"), ADMIN);
    String otherKey = api.workspaceKey("ws_not_numbers");

    assertThat(http.get("/v1/sms-numbers/" + number, workspaceKey).statusCode()).isEqualTo(200);
    assertThat(http.get("/v1/sms-numbers/" + number, otherKey).statusCode()).isEqualTo(404);
    assertThat(api.putNumber(number, new JsonObject().put("type", "platform").put("workspace_id", "ws_numbers"), workspaceKey)
        .statusCode()).isEqualTo(403);
  }

  @Test
  void aPoolNumberIsNotRegisteredAsAnAgentNumber() {
    String number = freshNumber();
    http.postJson("/v1/pool-numbers", ADMIN, new JsonObject().put("phone_number", number));

    var put = api.putNumber(number, new JsonObject().put("type", "platform").put("workspace_id", "ws_numbers"), ADMIN);
    var asPool = api.putNumber(freshNumber(), new JsonObject().put("type", "pool").put("workspace_id", "ws_numbers"), ADMIN);

    assertThat(put.statusCode()).isEqualTo(409);
    assertThat(errorCode(put)).isEqualTo("pool_number");
    assertThat(asPool.statusCode()).isEqualTo(422);
  }

  @Test
  void templatesAreListedWithTheirVariables() {
    var response = http.get("/v1/sms-templates", workspaceKey);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject paymentLink = response.bodyAsJsonObject().getJsonArray("templates").stream()
        .map(JsonObject.class::cast).filter(t -> t.getString("id").equals("payment_link")).findFirst().orElseThrow();
    assertThat(paymentLink.getJsonArray("variables").getList()).containsExactly("business_name", "payment_url");
  }
}
