package com.smsgateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
  /** Routes answering through Vert.x Web itself (no gateway helper), counting how often they really ran. */
  private static final AtomicInteger plainRuns = new AtomicInteger();
  private static final Routes plainRoutes = router -> {
    router.post("/v1/test/no-content").handler(ctx -> {
      plainRuns.incrementAndGet();
      ctx.response().setStatusCode(204).end();
    });
    router.post("/v1/test/json").respond(ctx -> {
      plainRuns.incrementAndGet();
      return Future.succeededFuture(new JsonObject().put("run", plainRuns.get()));
    });
  };

  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(IdempotencyKeyTest.class, slowRoute, plainRoutes));

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

  @Test
  void aReplayedNewApiKeyNeverShowsTheKeyAgainAndTheKeyIsNeverStoredForReplays() {
    String key = UUID.randomUUID().toString();
    JsonObject body = new JsonObject().put("role", "workspace").put("workspace_id", "ws_idem_secret");

    var first = createKey(key, body);
    var repeat = createKey(key, body);

    String secret = first.bodyAsJsonObject().getString("key");
    assertThat(secret).isNotBlank();
    assertThat(repeat.statusCode()).isEqualTo(201);
    assertThat(repeat.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(repeat.bodyAsJsonObject().getString("id")).isEqualTo(first.bodyAsJsonObject().getString("id"));
    assertThat(repeat.bodyAsJsonObject().containsKey("key")).isFalse();
    List<String> kept = new ArrayList<>();
    Await.result(running.gateway().pg().query("SELECT response_body FROM idempotency_keys").execute())
        .forEach(row -> kept.add(row.getString("response_body")));
    assertThat(kept).isNotEmpty().noneMatch(response -> response != null && response.contains(secret));
  }

  @Test
  void twoAdminKeysUsingTheSameIdempotencyKeyDoNotShareIt() {
    String otherAdmin = createKey(UUID.randomUUID().toString(), new JsonObject().put("role", "admin")).bodyAsJsonObject().getString("key");
    String key = UUID.randomUUID().toString();

    var byBootstrapAdmin = createKey(key, new JsonObject().put("role", "workspace").put("workspace_id", "ws_idem_admin_1"));
    var byOtherAdmin = Http.send(running.http().request(HttpMethod.POST, "/v1/api-keys")
        .putHeader("Authorization", "Bearer " + otherAdmin)
        .putHeader("Content-Type", "application/json")
        .putHeader(Idempotency.HEADER, key), new JsonObject().put("role", "workspace").put("workspace_id", "ws_idem_admin_2").toBuffer());

    assertThat(byBootstrapAdmin.statusCode()).isEqualTo(201);
    assertThat(byOtherAdmin.statusCode()).as("not a 409 reuse of the other admin's key").isEqualTo(201);
    assertThat(byOtherAdmin.getHeader("Idempotent-Replayed")).isNull();
  }

  @Test
  void aResponseWithoutBodyIsKeptAndReplayed() {
    String key = UUID.randomUUID().toString();
    int runsBefore = plainRuns.get();

    var first = Http.send(plain("/v1/test/no-content", key), null);
    var repeat = Http.send(plain("/v1/test/no-content", key), null);

    assertThat(first.statusCode()).isEqualTo(204);
    assertThat(repeat.statusCode()).isEqualTo(204);
    assertThat(repeat.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(plainRuns.get()).isEqualTo(runsBefore + 1);
  }

  @Test
  void aRouteAnsweringThroughVertxWebRespondIsKeptToo() {
    String key = UUID.randomUUID().toString();

    var first = Http.send(plain("/v1/test/json", key), null);
    var repeat = Http.send(plain("/v1/test/json", key), null);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(repeat.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(repeat.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
  }

  private static io.vertx.ext.web.client.HttpRequest<Buffer> plain(String path, String idempotencyKey) {
    return running.http().request(HttpMethod.POST, path)
        .putHeader("Authorization", "Bearer " + TestGateway.ADMIN_KEY)
        .putHeader(Idempotency.HEADER, idempotencyKey);
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
