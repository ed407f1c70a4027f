package com.smsgateway.calls;

import static com.smsgateway.calls.CallsApi.ADMIN;
import static com.smsgateway.calls.CallsApi.freshNumber;
import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Http;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /v1/calls}: a workspace's active calls, for the console's Calls page; {@code GET /v1/pool-usage}. */
class ActiveCallsListTest {
  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(ActiveCallsListTest.class));
  private static Http http;
  private static CallsApi api;

  @BeforeAll
  static void clients() {
    http = running.http();
    api = new CallsApi(http);
  }

  private static List<String> listedCallIds(String query, String apiKey) {
    var response = http.get("/v1/calls" + query, apiKey);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("calls").stream().map(call -> ((JsonObject) call).getString("call_id")).toList();
  }

  @Test
  void aWorkspaceKeyListsItsOwnActiveCallsNewestFirstAndEndedCallsLeaveTheList() {
    String first = api.registeredCall("ws_list_a", freshNumber(), freshNumber()).getString("call_id");
    String second = api.registeredCall("ws_list_a", freshNumber(), freshNumber()).getString("call_id");
    String ended = api.registeredCall("ws_list_a", freshNumber(), freshNumber()).getString("call_id");
    api.registeredCall("ws_list_b", freshNumber(), freshNumber());
    assertThat(api.endCall(ended, ADMIN).statusCode()).isEqualTo(204);

    assertThat(listedCallIds("", api.workspaceKey("ws_list_a"))).containsExactly(second, first);
    assertThat(listedCallIds("?workspace_id=ws_list_a&limit=1", ADMIN)).containsExactly(second);
  }

  @Test
  void anotherWorkspacesCallsAreForbiddenAndAnAdminMustNameTheWorkspace() {
    String otherKey = api.workspaceKey("ws_list_c");

    assertThat(http.get("/v1/calls?workspace_id=ws_list_a", otherKey).statusCode()).isEqualTo(403);
    var unnamed = http.get("/v1/calls", ADMIN);
    assertThat(unnamed.statusCode()).isEqualTo(422);
    assertThat(unnamed.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("workspace_id");
    assertThat(http.get("/v1/calls?workspace_id=ws_list_a&limit=0", ADMIN).statusCode()).isEqualTo(422);
  }

  @Test
  void poolUsageCountsEnabledPoolNumbersAndNamesThePoolBrand() {
    api.usePool(freshNumber(), freshNumber());

    var usage = http.get("/v1/pool-usage", ADMIN);

    assertThat(usage.statusCode()).isEqualTo(200);
    assertThat(usage.bodyAsJsonObject().getInteger("pool_numbers_enabled")).isEqualTo(2);
    assertThat(usage.bodyAsJsonObject().getInteger("calls_pinned")).isZero();
    assertThat(usage.bodyAsJsonObject().getString("brand_id")).isEqualTo("platform-pool");
    assertThat(http.get("/v1/pool-usage", api.workspaceKey("ws_list_d")).statusCode()).isEqualTo(403);
  }
}
