package com.smsgateway.calls;

import static com.smsgateway.calls.CallsApi.ADMIN;
import static com.smsgateway.calls.CallsApi.errorCode;
import static com.smsgateway.calls.CallsApi.freshNumber;
import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Http;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
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

  private static HttpResponse<Buffer> sms(JsonObject call, JsonObject body) {
    return http.postJson("/v1/calls/" + call.getString("call_id") + "/sms?workspace_id=" + call.getString("workspace_id"),
        api.voicePlatform(), body);
  }

  private static double rejections(String limit) {
    return running.gateway().registry().counter("gateway.ratelimit.rejections", "limit", limit).count();
  }

  private static double refusals(String reason) {
    return running.gateway().registry().counter("gateway.calls.refusals", "reason", reason).count();
  }
}
