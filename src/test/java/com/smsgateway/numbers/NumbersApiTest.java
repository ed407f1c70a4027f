package com.smsgateway.numbers;

import static com.smsgateway.numbers.NumbersApi.ADMIN;
import static com.smsgateway.numbers.NumbersApi.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Http;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import com.smsgateway.twilio.TwilioAccount;
import com.smsgateway.twilio.TwilioApi;
import com.smsgateway.twilio.TwilioConfig;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Available numbers, buying, listing, PATCH and DELETE of platform numbers, against the sandbox. */
class NumbersApiTest {
  private static final TwilioAccount PLATFORM = new TwilioAccount(TwilioConfig.SANDBOX_ACCOUNT_SID, TwilioConfig.SANDBOX_AUTH_TOKEN);

  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(NumbersApiTest.class));
  private static Http http;
  private static NumbersApi api;
  private static String workspaceKey;
  private static String otherKey;

  @BeforeAll
  static void clients() {
    http = running.http();
    api = new NumbersApi(http);
    workspaceKey = api.workspaceKey("ws_buy");
    otherKey = api.workspaceKey("ws_other");
  }

  @Test
  void availableNumbersAreListedByAreaCodeWithContainsAndLimit() {
    var listed = http.get("/v1/available-numbers?area_code=628&limit=3", workspaceKey);
    var filtered = http.get("/v1/available-numbers?area_code=628&contains=0107", workspaceKey);
    var none = http.get("/v1/available-numbers?area_code=299", workspaceKey);

    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.bodyAsJsonObject().getJsonArray("available_numbers")).hasSize(3);
    assertThat(filtered.bodyAsJsonObject().getJsonArray("available_numbers").getJsonObject(0).getString("phone_number"))
        .isEqualTo("+16285550107");
    assertThat(none.bodyAsJsonObject().getJsonArray("available_numbers")).isEmpty();
  }

  @Test
  void anAreaCodeIsThreeDigitsNotStartingWithZeroOrOne() {
    for (String bad : List.of("099", "141", "41", "4155", "abc", "")) {
      var response = http.get("/v1/available-numbers?area_code=" + bad, workspaceKey);
      assertThat(response.statusCode()).as(bad).isEqualTo(422);
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("area_code");
    }
    assertThat(http.get("/v1/available-numbers", workspaceKey).statusCode()).isEqualTo(422);
  }

  @Test
  void buyingANumberPointsItsSmsUrlAtTheGatewayAndAssignsIt() {
    var bought = api.buy(workspaceKey, new JsonObject().put("phone_number", "+13105550101").put("agent_id", "agent_1"));
    var again = api.buy(workspaceKey, new JsonObject().put("phone_number", "+13105550101"));

    assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(201);
    JsonObject number = bought.bodyAsJsonObject();
    assertThat(number.getString("type")).isEqualTo("platform");
    assertThat(number.getString("workspace_id")).isEqualTo("ws_buy");
    assertThat(number.getString("agent_id")).isEqualTo("agent_1");
    assertThat(number.getString("sms_status")).isEqualTo("a2p_required");
    assertThat(number.getBoolean("can_send_sms")).isFalse();
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(errorCode(again)).isEqualTo("number_exists");
    assertThat(platformNumber("+13105550101")).isPresent();
  }

  @Test
  void buyingByAreaCodeTakesTheFirstAvailable() {
    var bought = api.buy(workspaceKey, new JsonObject().put("area_code", "312"));
    var none = api.buy(workspaceKey, new JsonObject().put("area_code", "399"));

    assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(201);
    assertThat(bought.bodyAsJsonObject().getString("phone_number")).isEqualTo("+13125550100");
    assertThat(none.statusCode()).isEqualTo(409);
    assertThat(errorCode(none)).isEqualTo("no_numbers_available");
  }

  @Test
  void aNumberTwilioNoLongerOffersIs409() {
    var response = api.buy(workspaceKey, new JsonObject().put("phone_number", "+13105551234"));

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(errorCode(response)).isEqualTo("number_unavailable");
  }

  @Test
  void aRepeatedIdempotencyKeyBuysOnce() {
    String key = "buy-" + System.nanoTime();
    JsonObject body = new JsonObject().put("area_code", "646");
    var first = http.send(http.request(io.vertx.core.http.HttpMethod.POST, "/v1/sms-numbers")
        .putHeader("Authorization", "Bearer " + workspaceKey).putHeader("Content-Type", "application/json")
        .putHeader("Idempotency-Key", key), body.toBuffer());
    var second = http.send(http.request(io.vertx.core.http.HttpMethod.POST, "/v1/sms-numbers")
        .putHeader("Authorization", "Bearer " + workspaceKey).putHeader("Content-Type", "application/json")
        .putHeader("Idempotency-Key", key), body.toBuffer());

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(second.bodyAsJsonObject().getString("phone_number")).isEqualTo(first.bodyAsJsonObject().getString("phone_number"));
    var listed = http.get("/v1/sms-numbers?type=platform&limit=200", workspaceKey).bodyAsJsonObject().getJsonArray("sms_numbers");
    assertThat(listed.stream().map(n -> ((JsonObject) n).getString("phone_number")).filter(n -> n.startsWith("+1646"))).hasSize(1);
  }

  @Test
  void aWorkspaceListsOnlyItsOwnNumbersPageByPage() {
    String ws = "ws_list";
    String key = api.workspaceKey(ws);
    for (String number : List.of("+17185550101", "+17185550102", "+17185550103")) {
      assertThat(api.buy(key, new JsonObject().put("phone_number", number)).statusCode()).isEqualTo(201);
    }
    var first = http.get("/v1/sms-numbers?limit=2", key).bodyAsJsonObject();
    var second = http.get("/v1/sms-numbers?limit=2&cursor=" + first.getString("next_cursor"), key).bodyAsJsonObject();

    assertThat(first.getJsonArray("sms_numbers")).hasSize(2);
    assertThat(second.getJsonArray("sms_numbers")).hasSize(1);
    assertThat(second.getString("next_cursor")).isNull();
    assertThat(http.get("/v1/sms-numbers?workspace_id=ws_buy", key).statusCode()).isEqualTo(403);
    assertThat(http.get("/v1/sms-numbers?type=carrier_pigeon", key).statusCode()).isEqualTo(422);
    assertThat(http.get("/v1/sms-numbers?cursor=zzz", key).statusCode()).isEqualTo(422);
    Set<String> admins = http.get("/v1/sms-numbers?workspace_id=" + ws, ADMIN).bodyAsJsonObject().getJsonArray("sms_numbers")
        .stream().map(n -> ((JsonObject) n).getString("phone_number")).collect(Collectors.toSet());
    assertThat(admins).containsExactlyInAnyOrder("+17185550101", "+17185550102", "+17185550103");
  }

  @Test
  void patchSetsAndDetachesChatSettings() {
    String number = boughtNumber("+14245550101");

    var set = api.patch(workspaceKey, number, new JsonObject().put("agent_id", "agent_9").put("chat_agent_id", "chat_1")
        .put("inbound_webhook_url", "https://hooks.example.com/in").put("end_after_silence", 600).put("auto_close_message", "Bye"));
    var detached = api.patch(workspaceKey, number, new JsonObject().putNull("chat_agent_id").putNull("end_after_silence"));

    assertThat(set.statusCode()).as(set.bodyAsString()).isEqualTo(200);
    assertThat(set.bodyAsJsonObject().getString("chat_agent_id")).isEqualTo("chat_1");
    assertThat(set.bodyAsJsonObject().getInteger("end_after_silence")).isEqualTo(600);
    assertThat(detached.bodyAsJsonObject().getString("chat_agent_id")).isNull();
    assertThat(detached.bodyAsJsonObject().getInteger("end_after_silence")).isNull();
    assertThat(detached.bodyAsJsonObject().getString("agent_id")).isEqualTo("agent_9");
    assertThat(detached.bodyAsJsonObject().getString("inbound_webhook_url")).isEqualTo("https://hooks.example.com/in");
  }

  @Test
  void patchRefusesBadValuesAndOtherWorkspaces() {
    String number = boughtNumber("+14245550102");

    assertThat(fieldOf(api.patch(workspaceKey, number, new JsonObject().put("end_after_silence", 119)))).isEqualTo("end_after_silence");
    assertThat(fieldOf(api.patch(workspaceKey, number, new JsonObject().put("end_after_silence", 259_201)))).isEqualTo("end_after_silence");
    assertThat(fieldOf(api.patch(workspaceKey, number, new JsonObject().put("inbound_webhook_url", "http://hooks.example.com/in"))))
        .isEqualTo("inbound_webhook_url");
    assertThat(fieldOf(api.patch(workspaceKey, number, new JsonObject().put("inbound_webhook_url", "/relative")))).isEqualTo("inbound_webhook_url");
    assertThat(fieldOf(api.patch(workspaceKey, number, new JsonObject().put("workspace_id", "ws_other")))).isEqualTo("workspace_id");
    assertThat(api.patch(workspaceKey, number, new JsonObject().put("inbound_webhook_url", "http://127.0.0.1:9000/in")).statusCode())
        .as("http to loopback in sandbox mode").isEqualTo(200);
    assertThat(api.patch(otherKey, number, new JsonObject().put("agent_id", "mine")).statusCode()).isEqualTo(404);
    assertThat(http.get("/v1/sms-numbers/" + number, otherKey).statusCode()).isEqualTo(404);
    assertThat(http.delete("/v1/sms-numbers/" + number, otherKey).statusCode()).isEqualTo(404);
  }

  @Test
  void deletingAPlatformNumberReleasesItAtTwilio() {
    String number = boughtNumber("+14245550103");

    var deleted = http.delete("/v1/sms-numbers/" + number, workspaceKey);

    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(http.get("/v1/sms-numbers/" + number, workspaceKey).statusCode()).isEqualTo(404);
    assertThat(platformNumber(number)).isEmpty();
  }

  @Test
  void aNumberServingAnActiveCallCannotBeDeleted() {
    String number = boughtNumber("+14245550104");
    String callId = "call-delete-" + System.nanoTime();
    var call = http.postJson("/v1/calls", ADMIN, new JsonObject().put("call_id", callId).put("workspace_id", "ws_buy")
        .put("agent_id", "agent_1").put("agent_number", number).put("customer_number", "+14155550123"));
    assertThat(call.statusCode()).as(call.bodyAsString()).isEqualTo(201);

    var refused = http.delete("/v1/sms-numbers/" + number, workspaceKey);
    assertThat(http.delete("/v1/calls/" + callId, ADMIN).statusCode()).isEqualTo(204);
    var deleted = http.delete("/v1/sms-numbers/" + number, workspaceKey);

    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(errorCode(refused)).isEqualTo("number_in_use");
    assertThat(deleted.statusCode()).isEqualTo(204);
  }

  @Test
  void purchasesAreCountedByType() {
    boughtNumber("+14245550105");

    assertThat(running.gateway().registry().get("gateway.numbers.bought").tag("type", "platform").counter().count()).isPositive();
  }

  private static String boughtNumber(String number) {
    var bought = api.buy(workspaceKey, new JsonObject().put("phone_number", number));
    assertThat(bought.statusCode()).as(bought.bodyAsString()).isEqualTo(201);
    return number;
  }

  private static String fieldOf(io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(422);
    return response.bodyAsJsonObject().getJsonObject("error").getString("field");
  }

  /** The number as the platform's Twilio account (the sandbox) has it. */
  private static java.util.Optional<TwilioApi.IncomingNumber> platformNumber(String number) {
    return com.smsgateway.testing.Await.result(running.gateway().services().twilioApi().findIncomingNumber(PLATFORM, number));
  }
}
