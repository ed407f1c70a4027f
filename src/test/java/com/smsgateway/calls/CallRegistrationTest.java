package com.smsgateway.calls;

import com.smsgateway.testing.RedisTest;
import static com.smsgateway.calls.CallsApi.ADMIN;
import static com.smsgateway.calls.CallsApi.callBody;
import static com.smsgateway.calls.CallsApi.errorCode;
import static com.smsgateway.calls.CallsApi.freshCallId;
import static com.smsgateway.calls.CallsApi.freshNumber;
import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RedisTest
class CallRegistrationTest {
  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(CallRegistrationTest.class));
  private static Http http;
  private static CallsApi api;
  private static CallRegistry registry;

  @BeforeAll
  static void clients() {
    Gateway gateway = running.gateway();
    http = running.http();
    api = new CallsApi(http);
    CallKeys keys = new CallKeys(gateway.config().redis().keyPrefix());
    registry = new CallRegistry(gateway.redis(), keys, Duration.ofHours(4), Duration.ofHours(24), Clock.systemUTC(),
        new CallNumbers(gateway.redis(), keys, Clock.systemUTC()));
  }

  @Test
  void registeringACallAnswers201AndTheCallExpiresAfterTheMaxDuration() {
    String callId = freshCallId();
    var response = api.registerCall(callBody(callId, "ws_reg", freshNumber(), freshNumber()), ADMIN);

    assertThat(response.statusCode()).isEqualTo(201);
    JsonObject call = response.bodyAsJsonObject();
    assertThat(call.getString("call_id")).isEqualTo(callId);
    assertThat(call.getValue("pool_number")).isNull();
    assertThat(call.containsKey("replaced_call_id")).isFalse();
    assertThat(Duration.between(Instant.parse(call.getString("created_at")), Instant.parse(call.getString("expires_at"))))
        .isEqualTo(Duration.ofHours(4));
    assertThat(api.getCall(callId, ADMIN).bodyAsJsonObject()).isEqualTo(call);
  }

  @Test
  void anExactRepeatAnswers200WithTheFirstRegistration() {
    JsonObject body = callBody(freshCallId(), "ws_reg", freshNumber(), freshNumber());
    JsonObject first = api.registerCall(body, ADMIN).bodyAsJsonObject();

    var repeat = api.registerCall(body, ADMIN);

    assertThat(repeat.statusCode()).isEqualTo(200);
    assertThat(repeat.bodyAsJsonObject()).isEqualTo(first);
  }

  @Test
  void theSameCallIdWithOtherDetailsIs409() {
    JsonObject body = callBody(freshCallId(), "ws_reg", freshNumber(), freshNumber());
    api.registerCall(body, ADMIN);

    var conflicting = api.registerCall(body.copy().put("customer_number", freshNumber()), ADMIN);

    assertThat(conflicting.statusCode()).isEqualTo(409);
    assertThat(errorCode(conflicting)).isEqualTo("call_id_conflict");
  }

  @Test
  void aSecondCallForTheSameAgentAndCustomerTakesTheRouteAndSaysSo() {
    String agent = freshNumber();
    String customer = freshNumber();
    JsonObject first = api.registeredCall("ws_reg", agent, customer);

    JsonObject second = api.registeredCall("ws_reg", agent, customer);

    assertThat(second.getString("replaced_call_id")).isEqualTo(first.getString("call_id"));
    assertThat(Await.result(registry.routedCall(agent, customer))).contains(new CallRef("ws_reg", second.getString("call_id")));
    assertThat(api.getCall(first.getString("call_id"), ADMIN).statusCode()).as("the first call is still active").isEqualTo(200);
  }

  @Test
  void endingACallRemovesItAndItsRouteAndAnswers404Afterwards() {
    String agent = freshNumber();
    String customer = freshNumber();
    String callId = api.registeredCall("ws_reg", agent, customer).getString("call_id");
    assertThat(Await.result(registry.routedCall(agent, customer))).contains(new CallRef("ws_reg", callId));

    assertThat(api.endCall(callId, ADMIN).statusCode()).isEqualTo(204);

    assertThat(Await.result(registry.routedCall(agent, customer))).isEmpty();
    assertThat(api.getCall(callId, ADMIN).statusCode()).isEqualTo(404);
    assertThat(api.endCall(callId, ADMIN).statusCode()).isEqualTo(404);
  }

  @Test
  void endingAReplacedCallLeavesTheNewerCallsRoute() {
    String agent = freshNumber();
    String customer = freshNumber();
    String older = api.registeredCall("ws_reg", agent, customer).getString("call_id");
    String newer = api.registeredCall("ws_reg", agent, customer).getString("call_id");

    assertThat(api.endCall(older, ADMIN).statusCode()).isEqualTo(204);

    assertThat(Await.result(registry.routedCall(agent, customer))).contains(new CallRef("ws_reg", newer));
  }

  @Test
  void aWorkspaceKeyReadsItsOwnCallsButMayNotRegisterEndOrTextFromThem() {
    String ownKey = api.workspaceKey("ws_own");
    String otherKey = api.workspaceKey("ws_other");
    String callId = api.registeredCall("ws_own", freshNumber(), freshNumber()).getString("call_id");

    var register = api.registerCall(callBody(freshCallId(), "ws_own", freshNumber(), freshNumber()), ownKey);
    var end = api.endCall(callId, ownKey);
    var text = http.postJson("/v1/calls/" + callId + "/sms", ownKey, new JsonObject().put("content", "hi"));

    assertThat(register.statusCode()).isEqualTo(403);
    assertThat(errorCode(register)).isEqualTo("forbidden");
    assertThat(end.statusCode()).isEqualTo(403);
    assertThat(errorCode(end)).isEqualTo("forbidden");
    assertThat(text.statusCode()).isEqualTo(403);
    assertThat(errorCode(text)).isEqualTo("forbidden");
    assertThat(api.getCall(callId, ownKey).statusCode()).isEqualTo(200);
    assertThat(http.get("/v1/calls/" + callId + "/sms", ownKey).statusCode()).isEqualTo(200);
    assertThat(api.getCall(callId, otherKey).statusCode()).isEqualTo(404);
    assertThat(api.getCall(callId, ownKey).statusCode()).as("still active after the refused DELETE").isEqualTo(200);
  }

  @Test
  void theVoicePlatformKeyRegistersReadsAndEndsCallsOfAnyWorkspace() {
    String voicePlatform = api.voicePlatform();
    String first = freshCallId();
    String second = freshCallId();

    var forOne = api.registerCall(callBody(first, "ws_vp_one", freshNumber(), freshNumber()), voicePlatform);
    var forAnother = api.registerCall(callBody(second, "ws_vp_two", freshNumber(), freshNumber()), voicePlatform);

    assertThat(forOne.statusCode()).isEqualTo(201);
    assertThat(forAnother.statusCode()).isEqualTo(201);
    assertThat(api.getCall(second, voicePlatform).statusCode()).isEqualTo(200);
    assertThat(api.endCall(first, voicePlatform).statusCode()).isEqualTo(204);
  }

  @Test
  void theVoicePlatformKeyIsNotAnAdminNorAWorkspace() {
    String voicePlatform = api.voicePlatform();

    var createKey = http.postJson("/v1/api-keys", voicePlatform, new JsonObject().put("role", "workspace").put("workspace_id", "ws_x"));
    var listKeys = http.get("/v1/api-keys", voicePlatform);
    var addPool = http.postJson("/v1/pool-numbers", voicePlatform, new JsonObject().put("phone_number", freshNumber()));
    var putNumber = api.putNumber(freshNumber(), new JsonObject().put("type", "platform").put("workspace_id", "ws_x"), voicePlatform);
    var sendMessage = http.postJson("/v1/messages", voicePlatform, new JsonObject()
        .put("from_number", freshNumber()).put("to_number", freshNumber()).put("body", "hi"));

    assertThat(List.of(createKey, listKeys, addPool, putNumber, sendMessage))
        .allSatisfy(response -> assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(403));
  }

  @Test
  void aVoicePlatformKeyNamesNoWorkspace() {
    var withWorkspace = http.postJson("/v1/api-keys", ADMIN, new JsonObject().put("role", "voice_platform").put("workspace_id", "ws_x"));
    var created = http.postJson("/v1/api-keys", ADMIN, new JsonObject().put("role", "voice_platform"));

    assertThat(withWorkspace.statusCode()).isEqualTo(422);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getString("role")).isEqualTo("voice_platform");
    assertThat(created.bodyAsJsonObject().getValue("workspace_id")).isNull();
  }

  @Test
  void invalidRegistrationsAre422NamingTheField() {
    JsonObject valid = callBody(freshCallId(), "ws_reg", freshNumber(), freshNumber());

    var badCustomer = api.registerCall(valid.copy().put("customer_number", "+442071838750"), ADMIN);
    var missingAgent = api.registerCall(valid.copy().put("agent_id", null), ADMIN);
    var badId = api.registerCall(valid.copy().put("call_id", "{tag}"), ADMIN);

    assertThat(badCustomer.statusCode()).isEqualTo(422);
    assertThat(badCustomer.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("customer_number");
    assertThat(missingAgent.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("agent_id");
    assertThat(badId.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("call_id");
  }

  @Test
  void aPoolNumberOrAnotherWorkspacesNumberIsNotAnAgentNumber() {
    String poolNumber = freshNumber();
    String foreign = freshNumber();
    http.postJson("/v1/pool-numbers", ADMIN, new JsonObject().put("phone_number", poolNumber));
    var put = api.putNumber(foreign, new JsonObject().put("type", "platform").put("workspace_id", "ws_elsewhere"), ADMIN);
    assertThat(put.statusCode()).isEqualTo(201);

    var withPool = api.registerCall(callBody(freshCallId(), "ws_reg", poolNumber, freshNumber()), ADMIN);
    var withForeign = api.registerCall(callBody(freshCallId(), "ws_reg", foreign, freshNumber()), ADMIN);

    assertThat(withPool.statusCode()).isEqualTo(422);
    assertThat(withForeign.statusCode()).isEqualTo(422);
    assertThat(withForeign.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("agent_number");
  }

  @Test
  void unknownCallIs404() {
    assertThat(api.getCall("no-such-call", ADMIN).statusCode()).isEqualTo(404);
    assertThat(api.endCall("no-such-call", ADMIN).statusCode()).isEqualTo(404);
  }
}
