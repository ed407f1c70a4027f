package com.smsgateway.calls;

import static com.smsgateway.calls.CallsApi.ADMIN;
import static com.smsgateway.calls.CallsApi.callBody;
import static com.smsgateway.calls.CallsApi.errorCode;
import static com.smsgateway.calls.CallsApi.freshNumber;
import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared SMS pool and call routes keep tenants apart (issue 9): each rule refused over HTTP, and counted. */
class TenantIsolationTest {
  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(TenantIsolationTest.class)
      .with("GATEWAY_RATELIMIT_POOL_BRAND_WORKSPACE_DAILY_SEGMENTS", "2"));
  private static Http http;
  private static CallsApi api;

  private static final JsonObject PAYMENT_LINK = new JsonObject().put("template_id", "payment_link")
      .put("variables", new JsonObject().put("business_name", "Acme").put("payment_url", "https://pay.example/x1"));

  @BeforeAll
  static void clients() {
    http = running.http();
    api = new CallsApi(http);
  }

  @Test
  void fromAPoolNumberATextGoesOnlyToTheCallsCustomer() {
    api.usePool(freshNumber());
    JsonObject call = api.registeredCall("ws_iso_recipient", freshNumber(), freshNumber());
    double refusedBefore = refusals("pool_recipient_must_be_customer");

    var toStranger = sms(call, PAYMENT_LINK.copy().put("to_number", freshNumber()));
    var toCustomer = sms(call, PAYMENT_LINK.copy().put("to_number", call.getString("customer_number")));

    assertThat(toStranger.statusCode()).isEqualTo(422);
    assertThat(errorCode(toStranger)).isEqualTo("pool_recipient_must_be_customer");
    assertThat(toStranger.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("to_number");
    assertThat(toCustomer.statusCode()).as(toCustomer.bodyAsString()).isEqualTo(202);
    assertThat(refusals("pool_recipient_must_be_customer")).isEqualTo(refusedBefore + 1);
  }

  @Test
  void aTemplateVariableOfTheWrongTypeIs422NamingIt() {
    api.usePool(freshNumber());
    JsonObject call = api.registeredCall("ws_iso_template", freshNumber(), freshNumber());
    double refusedBefore = refusals("template_variable");

    var httpLink = sms(call, PAYMENT_LINK.copy().put("variables", new JsonObject()
        .put("business_name", "Acme").put("payment_url", "http://pay.example/x1")));
    var linkInText = sms(call, PAYMENT_LINK.copy().put("variables", new JsonObject()
        .put("business_name", "Visit evil.example now").put("payment_url", "https://pay.example/x1")));

    assertThat(httpLink.statusCode()).isEqualTo(422);
    assertThat(httpLink.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("variables.payment_url");
    assertThat(httpLink.bodyAsJsonObject().getJsonObject("error").getString("message")).contains("variables.payment_url");
    assertThat(linkInText.statusCode()).isEqualTo(422);
    assertThat(linkInText.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("variables.business_name");
    assertThat(refusals("template_variable")).isEqualTo(refusedBefore + 2);
  }

  @Test
  void theTemplateListingShowsEachVariablesType() {
    JsonObject listing = http.get("/v1/sms-templates", ADMIN).bodyAsJsonObject();
    JsonObject paymentLink = listing.getJsonArray("templates").stream().map(JsonObject.class::cast)
        .filter(t -> t.getString("id").equals("payment_link")).findFirst().orElseThrow();

    assertThat(paymentLink.getJsonArray("variables").getList()).containsExactly("business_name", "payment_url");
    assertThat(paymentLink.getJsonObject("variable_types")).isEqualTo(new JsonObject().put("business_name", "text").put("payment_url", "url"));
  }

  @Test
  void eachWorkspaceMayUseOnlyItsDailyShareOfThePoolBrand() {
    api.usePool(freshNumber(), freshNumber());
    JsonObject call = api.registeredCall("ws_iso_share", freshNumber(), freshNumber());
    JsonObject otherWorkspacesCall = api.registeredCall("ws_iso_share_other", freshNumber(), freshNumber());
    double rejectedBefore = rejections("workspace_pool_daily");

    var first = sms(call, PAYMENT_LINK);
    var second = sms(call, PAYMENT_LINK);
    var third = sms(call, PAYMENT_LINK);
    var otherWorkspace = sms(otherWorkspacesCall, PAYMENT_LINK);

    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(202);
    assertThat(second.statusCode()).isEqualTo(202);
    assertThat(third.statusCode()).as(third.bodyAsString()).isEqualTo(429);
    JsonObject error = third.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("segment_limit_exceeded");
    assertThat(error.getString("limit")).isEqualTo("workspace_pool_daily");
    assertThat(error.getString("retry_at")).isNotBlank();
    assertThat(otherWorkspace.statusCode()).as("another workspace's share is its own").isEqualTo(202);
    assertThat(rejections("workspace_pool_daily")).isEqualTo(rejectedBefore + 1);
  }

  @Test
  void aPoolTextTwilioRefusedGivesTheWorkspacesShareBack() {
    api.usePool(freshNumber());
    String customer = freshNumber();
    JsonObject call = api.registeredCall("ws_iso_share_refund", freshNumber(), customer);
    assertThat(http.postJson("/sandbox/faults", ADMIN, new JsonObject().put("operation", "send").put("status", 400)
        .put("twilio_code", 21612).put("phone_number", customer).put("count", 2)).statusCode()).isEqualTo(201);
    String keyOfWorkspace = api.workspaceKey("ws_iso_share_refund");
    List<String> refused = List.of(sms(call, PAYMENT_LINK), sms(call, PAYMENT_LINK)).stream()
        .map(response -> response.bodyAsJsonObject().getString("message_id")).toList();
    for (String messageId : refused) {
      Await.until(messageId + " failed", () -> "failed".equals(http.get("/v1/messages/" + messageId, keyOfWorkspace)
          .bodyAsJsonObject().getString("status")));
    }

    // A refund lands just after its text is marked failed: wait for each, then the share (2) is exactly full again.
    Await.until("the first refused text's segments are given back", () -> sms(call, PAYMENT_LINK).statusCode() == 202);
    Await.until("the second refused text's segments are given back", () -> sms(call, PAYMENT_LINK).statusCode() == 202);
    assertThat(sms(call, PAYMENT_LINK).statusCode()).as("no more than was charged came back").isEqualTo(429);
  }

  @Test
  void twoWorkspacesMayUseTheSameCallIdAndNeitherSeesTheOthers() {
    String callId = CallsApi.freshCallId();
    String keyOfA = api.workspaceKey("ws_iso_id_a");
    String keyOfB = api.workspaceKey("ws_iso_id_b");
    String agentOfA = freshNumber();
    String agentOfB = freshNumber();

    var forA = api.registerCall(callBody(callId, "ws_iso_id_a", agentOfA, freshNumber()), api.voicePlatform());
    var forB = api.registerCall(callBody(callId, "ws_iso_id_b", agentOfB, freshNumber()), api.voicePlatform());

    assertThat(forA.statusCode()).isEqualTo(201);
    assertThat(forB.statusCode()).as(forB.bodyAsString()).isEqualTo(201);
    assertThat(api.getCall(callId, keyOfA).bodyAsJsonObject().getString("agent_number")).isEqualTo(agentOfA);
    assertThat(api.getCall(callId, keyOfB).bodyAsJsonObject().getString("agent_number")).isEqualTo(agentOfB);
    var ambiguous = api.getCall(callId, api.voicePlatform());
    assertThat(ambiguous.statusCode()).isEqualTo(409);
    assertThat(errorCode(ambiguous)).isEqualTo("call_id_ambiguous");
    assertThat(http.get("/v1/calls/" + callId + "?workspace_id=ws_iso_id_b", api.voicePlatform()).bodyAsJsonObject()
        .getString("agent_number")).isEqualTo(agentOfB);
    assertThat(http.get("/v1/calls/" + callId + "?workspace_id=ws_iso_id_b", keyOfA).statusCode())
        .as("a workspace key cannot name another workspace").isEqualTo(404);

    assertThat(http.delete("/v1/calls/" + callId + "?workspace_id=ws_iso_id_a", api.voicePlatform()).statusCode()).isEqualTo(204);

    assertThat(api.getCall(callId, keyOfA).statusCode()).isEqualTo(404);
    assertThat(api.getCall(callId, keyOfB).statusCode()).isEqualTo(200);
    assertThat(api.getCall(callId, api.voicePlatform()).bodyAsJsonObject().getString("workspace_id"))
        .as("unambiguous again once one workspace's call ended").isEqualTo("ws_iso_id_b");
  }

  @Test
  void aRouteHeldByAnotherWorkspacesCallIsNeitherTakenOverNorRevealed() {
    String agent = freshNumber();
    String customer = freshNumber();
    JsonObject held = api.registeredCall("ws_iso_route_a", agent, customer);
    String keyOfB = api.workspaceKey("ws_iso_route_b");
    String intruderId = CallsApi.freshCallId();
    double refusedBefore = refusals("route_in_use");

    var intruder = api.registerCall(callBody(intruderId, "ws_iso_route_b", agent, customer), api.voicePlatform());

    assertThat(intruder.statusCode()).isEqualTo(409);
    assertThat(errorCode(intruder)).isEqualTo("route_in_use");
    assertThat(intruder.bodyAsString()).doesNotContain(held.getString("call_id")).doesNotContain("ws_iso_route_a");
    assertThat(api.getCall(intruderId, keyOfB).statusCode()).as("the refused call is not registered").isEqualTo(404);
    assertThat(refusals("route_in_use")).isEqualTo(refusedBefore + 1);
    assertThat(api.getCall(held.getString("call_id"), api.voicePlatform()).statusCode()).as("the held call is untouched").isEqualTo(200);
  }

  @Test
  void aPoolNumberThatTextedACustomerForOneWorkspaceIsNotPinnedForThemByAnotherWithinTheCooldown() {
    String poolNumber = freshNumber();
    api.usePool(poolNumber);
    String customer = freshNumber();
    JsonObject callOfA = api.registeredCall("ws_iso_cool_a", freshNumber(), customer);
    assertThat(sms(callOfA, PAYMENT_LINK).bodyAsJsonObject().getString("from_number")).isEqualTo(poolNumber);
    assertThat(endCall(callOfA).statusCode()).isEqualTo(204);

    JsonObject callOfB = api.registeredCall("ws_iso_cool_b", freshNumber(), customer);
    var refused = sms(callOfB, PAYMENT_LINK);
    JsonObject nextCallOfA = api.registeredCall("ws_iso_cool_a", freshNumber(), customer);
    var sameWorkspace = sms(nextCallOfA, PAYMENT_LINK);

    assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(503);
    assertThat(errorCode(refused)).isEqualTo("pool_exhausted");
    assertThat(sameWorkspace.statusCode()).as("the same workspace may use it again").isEqualTo(202);
    assertThat(sameWorkspace.bodyAsJsonObject().getString("from_number")).isEqualTo(poolNumber);
  }

  @Test
  void aReplyAfterTheCallEndedIsStoredAgainstTheCallItAnswers() {
    String poolNumber = freshNumber();
    api.usePool(poolNumber);
    String customer = freshNumber();
    String keyOfA = api.workspaceKey("ws_iso_late_a");
    JsonObject callOfA = api.registeredCall("ws_iso_late_a", freshNumber(), customer);
    assertThat(sms(callOfA, PAYMENT_LINK).statusCode()).isEqualTo(202);
    assertThat(endCall(callOfA).statusCode()).isEqualTo(204);
    JsonObject callOfB = api.registeredCall("ws_iso_late_b", freshNumber(), customer);

    String sid = inbound(customer, poolNumber, "paid, thanks");

    Await.until("the late reply is dispatched", () -> !"pending".equals(stored(sid).getString("dispatch_state")));
    Row reply = stored(sid);
    assertThat(reply.getString("call_id")).isEqualTo(callOfA.getString("call_id"));
    assertThat(reply.getString("workspace_id")).isEqualTo("ws_iso_late_a");
    JsonArray history = http.get("/v1/calls/" + callOfA.getString("call_id") + "/sms", keyOfA).bodyAsJsonObject().getJsonArray("messages");
    assertThat(history.stream().map(m -> ((JsonObject) m).getString("direction"))).containsExactly("outbound", "inbound");
    assertThat(http.get("/v1/calls/" + callOfB.getString("call_id") + "/sms?workspace_id=ws_iso_late_b", api.voicePlatform())
        .bodyAsJsonObject().getJsonArray("messages")).isEmpty();
  }

  @Test
  void stopToOnePoolNumberOptsTheCustomerOutOfTheWholePoolAndStartToAnyOptsThemBackIn() {
    String stoppedNumber = freshNumber();
    String otherNumber = freshNumber();
    api.usePool(stoppedNumber, otherNumber);
    String customer = freshNumber();
    inbound(customer, stoppedNumber, "STOP");
    double refusedBefore = refusals("recipient_opted_out");

    api.usePool(otherNumber);
    JsonObject call = api.registeredCall("ws_iso_stop", freshNumber(), customer);
    var refused = sms(call, PAYMENT_LINK);

    assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(409);
    assertThat(errorCode(refused)).isEqualTo("recipient_opted_out");
    assertThat(refusals("recipient_opted_out")).isEqualTo(refusedBefore + 1);
    assertThat(endCall(call).statusCode()).isEqualTo(204);

    api.usePool(stoppedNumber, otherNumber);
    inbound(customer, stoppedNumber, "START");
    api.usePool(otherNumber);
    JsonObject nextCall = api.registeredCall("ws_iso_stop", freshNumber(), customer);
    assertThat(sms(nextCall, PAYMENT_LINK).statusCode()).as("START to a pool number re-allows the pool").isEqualTo(202);
  }

  private static HttpResponse<Buffer> sms(JsonObject call, JsonObject body) {
    return http.postJson("/v1/calls/" + call.getString("call_id") + "/sms?workspace_id=" + call.getString("workspace_id"),
        api.voicePlatform(), body);
  }

  private static HttpResponse<Buffer> endCall(JsonObject call) {
    return http.delete("/v1/calls/" + call.getString("call_id") + "?workspace_id=" + call.getString("workspace_id"), api.voicePlatform());
  }

  /** A signed inbound webhook through the sandbox; answers Twilio's MessageSid. */
  private static String inbound(String from, String to, String body) {
    var response = http.postJson("/sandbox/inbound", ADMIN, new JsonObject().put("from", from).put("to", to).put("body", body));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getString("message_sid");
  }

  private static Row stored(String twilioSid) {
    return Await.result(running.gateway().pg()
        .preparedQuery("SELECT call_id, workspace_id, dispatch_state FROM messages WHERE twilio_sid = $1")
        .execute(Tuple.of(twilioSid))).iterator().next();
  }

  private static double rejections(String limit) {
    return running.gateway().registry().counter("gateway.ratelimit.rejections", "limit", limit).count();
  }

  private static double refusals(String reason) {
    return running.gateway().registry().counter("gateway.calls.refusals", "reason", reason).count();
  }
}
