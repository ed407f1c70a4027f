package com.smsgateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IdempotencyKeyTest {
  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(IdempotencyKeyTest.class));

  @Test
  void aRepeatWithTheSameKeyAndBodyReturnsTheFirstResponseWithoutActingAgain() {
    String key = UUID.randomUUID().toString();
    JsonObject body = new JsonObject().put("role", "workspace").put("workspace_id", "ws_idem_1");

    var first = createKey(key, body);
    var repeat = createKey(key, body);

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(repeat.statusCode()).isEqualTo(201);
    assertThat(repeat.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(repeat.bodyAsJsonObject().getString("id")).isEqualTo(first.bodyAsJsonObject().getString("id"));
    assertThat(keysOf("ws_idem_1")).isEqualTo(1);
  }

  @Test
  void theSameKeyWithAnotherBodyIs409() {
    String key = UUID.randomUUID().toString();
    createKey(key, new JsonObject().put("role", "workspace").put("workspace_id", "ws_idem_2"));

    var reused = createKey(key, new JsonObject().put("role", "workspace").put("workspace_id", "ws_idem_3"));

    assertThat(reused.statusCode()).isEqualTo(409);
    assertThat(reused.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("idempotency_key_reused");
    assertThat(keysOf("ws_idem_3")).isZero();
  }

  @Test
  void aFailedRequestIsNotKeptSoItsRetryIsProcessed() {
    String key = UUID.randomUUID().toString();
    var failed = Http.send(running.http().request(HttpMethod.POST, "/v1/api-keys")
        .putHeader("Authorization", "Bearer " + TestGateway.ADMIN_KEY)
        .putHeader("Content-Type", "application/json")
        .putHeader(Idempotency.HEADER, key), Buffer.buffer("{\"role\":\"workspace\"}"));
    assertThat(failed.statusCode()).isEqualTo(422);

    var retried = createKey(key, new JsonObject().put("role", "workspace").put("workspace_id", "ws_idem_4"));

    assertThat(retried.statusCode()).isEqualTo(201);
    assertThat(retried.getHeader("Idempotent-Replayed")).isNull();
  }

  @Test
  void keysOfDifferentWorkspacesDoNotCollide() {
    String key = UUID.randomUUID().toString();
    JsonObject a = createKey(UUID.randomUUID().toString(), new JsonObject().put("role", "workspace").put("workspace_id", "ws_idem_a")).bodyAsJsonObject();
    JsonObject b = createKey(UUID.randomUUID().toString(), new JsonObject().put("role", "workspace").put("workspace_id", "ws_idem_b")).bodyAsJsonObject();

    var asA = Http.send(running.http().request(HttpMethod.POST, "/v1/api-keys")
        .putHeader("Authorization", "Bearer " + a.getString("key")).putHeader("Content-Type", "application/json")
        .putHeader(Idempotency.HEADER, key), Buffer.buffer("{}"));
    var asB = Http.send(running.http().request(HttpMethod.POST, "/v1/api-keys")
        .putHeader("Authorization", "Bearer " + b.getString("key")).putHeader("Content-Type", "application/json")
        .putHeader(Idempotency.HEADER, key), Buffer.buffer("{\"other\":1}"));

    assertThat(asA.statusCode()).isEqualTo(403);
    assertThat(asB.statusCode()).as("not a 409 reuse of A's key").isEqualTo(403);
  }

  private static HttpResponse<Buffer> createKey(String idempotencyKey, JsonObject body) {
    return Http.send(running.http().request(HttpMethod.POST, "/v1/api-keys")
        .putHeader("Authorization", "Bearer " + TestGateway.ADMIN_KEY)
        .putHeader("Content-Type", "application/json")
        .putHeader(Idempotency.HEADER, idempotencyKey), body.toBuffer());
  }

  private static int keysOf(String workspaceId) {
    return running.http().get("/v1/api-keys?workspace_id=" + workspaceId, TestGateway.ADMIN_KEY).bodyAsJsonObject().getJsonArray("api_keys").size();
  }
}
