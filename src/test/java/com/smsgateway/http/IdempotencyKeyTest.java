package com.smsgateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IdempotencyKeyTest {
  /** A slow mutating route: it answers only when the test completes {@link #releaseSlow}. */
  private static final CountDownLatch slowEntered = new CountDownLatch(1);
  private static final Promise<Void> releaseSlow = Promise.promise();
  private static final Routes slowRoute = router -> router.post("/v1/test/slow").handler(ctx -> {
    slowEntered.countDown();
    releaseSlow.future().onSuccess(v -> Json.respond(ctx, 200, new JsonObject().put("done", true)));
  });

  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(IdempotencyKeyTest.class, slowRoute));

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

  @Test
  void aRepeatWhileTheFirstIsStillWorkingIs409EvenWhenTheFirstClientGaveUp() throws Exception {
    String key = UUID.randomUUID().toString();
    var abandoned = slow(key).timeout(300).send();
    assertThat(slowEntered.await(30, TimeUnit.SECONDS)).isTrue();
    Await.until("the first client gave up", abandoned::isComplete);
    assertThat(abandoned.failed()).isTrue();

    var repeat = Http.send(slow(key), null);

    assertThat(repeat.statusCode()).isEqualTo(409);
    assertThat(repeat.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("idempotency_key_in_progress");
    releaseSlow.complete();
    Await.until("the first request's response is kept and replayed", () -> {
      var replayed = Http.send(slow(key), null);
      return replayed.statusCode() == 200 && "true".equals(replayed.getHeader("Idempotent-Replayed"));
    });
  }

  private static io.vertx.ext.web.client.HttpRequest<Buffer> slow(String idempotencyKey) {
    return running.http().request(HttpMethod.POST, "/v1/test/slow")
        .putHeader("Authorization", "Bearer " + TestGateway.ADMIN_KEY)
        .putHeader(Idempotency.HEADER, idempotencyKey);
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
