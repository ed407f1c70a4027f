package com.smsgateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ApiKeyAuthTest {
  private static final String ADMIN = TestGateway.ADMIN_KEY;
  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(ApiKeyAuthTest.class));

  @Test
  void missingKeyIs401() {
    var response = running.http().get("/v1/api-keys", null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(errorCode(response.bodyAsJsonObject())).isEqualTo("unauthorized");
  }

  @Test
  void unknownKeyIs401() {
    assertThat(running.http().get("/v1/api-keys", "gw_not-a-real-key").statusCode()).isEqualTo(401);
  }

  @Test
  void revokedKeyIs401() {
    JsonObject key = createKey("workspace", "ws_revoked");
    assertThat(running.http().delete("/v1/api-keys/" + key.getString("id"), ADMIN).statusCode()).isEqualTo(204);

    assertThat(running.http().get("/v1/api-keys", key.getString("key")).statusCode()).isEqualTo(401);
  }

  @Test
  void adminCreatesAWorkspaceKeyShownOnceAndStoredOnlyAsAHash() {
    JsonObject created = createKey("workspace", "ws_a");

    assertThat(created.getString("key")).startsWith("gw_");
    assertThat(created.getString("role")).isEqualTo("workspace");
    assertThat(created.getString("workspace_id")).isEqualTo("ws_a");
    var fetched = running.http().get("/v1/api-keys/" + created.getString("id"), ADMIN).bodyAsJsonObject();
    assertThat(fetched.containsKey("key")).isFalse();
    var stored = Await.result(running.gateway().pg().query("SELECT key_hash FROM api_keys WHERE id = '" + created.getString("id") + "'").execute());
    assertThat(stored.iterator().next().getBuffer("key_hash").length()).isEqualTo(32);
  }

  @Test
  void workspaceKeySeesItsOwnWorkspacesKey() {
    JsonObject own = createKey("workspace", "ws_b");

    var response = running.http().get("/v1/api-keys/" + own.getString("id"), own.getString("key"));

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void workspaceKeyOnAnotherWorkspacesResourceIs404() {
    JsonObject mine = createKey("workspace", "ws_c");
    JsonObject theirs = createKey("workspace", "ws_d");

    var response = running.http().get("/v1/api-keys/" + theirs.getString("id"), mine.getString("key"));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(errorCode(response.bodyAsJsonObject())).isEqualTo("not_found");
  }

  @Test
  void workspaceKeyListsOnlyItsOwnWorkspace() {
    JsonObject mine = createKey("workspace", "ws_e");
    createKey("workspace", "ws_f");

    var keys = running.http().get("/v1/api-keys", mine.getString("key")).bodyAsJsonObject().getJsonArray("api_keys");

    assertThat(keys).isNotEmpty().allSatisfy(k -> assertThat(((JsonObject) k).getString("workspace_id")).isEqualTo("ws_e"));
  }

  @Test
  void adminOnlyRouteWithWorkspaceKeyIs403() {
    JsonObject workspaceKey = createKey("workspace", "ws_g");

    var response = running.http().postJson("/v1/api-keys", workspaceKey.getString("key"),
        new JsonObject().put("role", "workspace").put("workspace_id", "ws_g"));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(errorCode(response.bodyAsJsonObject())).isEqualTo("admin_required");
  }

  @Test
  void workspaceKeyWithoutWorkspaceIdIs422NamingTheField() {
    var response = running.http().postJson("/v1/api-keys", ADMIN, new JsonObject().put("role", "workspace"));

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("message")).contains("workspace_id");
  }

  private static JsonObject createKey(String role, String workspaceId) {
    var response = running.http().postJson("/v1/api-keys", ADMIN, new JsonObject().put("role", role).put("workspace_id", workspaceId));
    assertThat(response.statusCode()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  private static String errorCode(JsonObject body) {
    return body.getJsonObject("error").getString("code");
  }
}
