package com.smsgateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * API-key lookups are cached per replica: one PostgreSQL read per key per {@code api_keys.cache_ttl}, a revocation
 * honoured at once on the replica that revokes and within the TTL on the others. This replica keeps keys for an hour,
 * so only an invalidation can explain a refusal here; the second one, on the same database, for a second.
 */
class ApiKeyCacheTest {
  private static final String ADMIN = TestGateway.ADMIN_KEY;
  private static final TestGateway replicas = TestGateway.forClass(ApiKeyCacheTest.class).with("GATEWAY_API_KEYS_CACHE_TTL", "1h");
  @RegisterExtension
  static final RunningGateway running = new RunningGateway(replicas);
  private static Gateway other;
  private static Http otherHttp;

  @BeforeAll
  static void startASecondReplicaWithAShortTtl() {
    other = Await.result(replicas.with("GATEWAY_API_KEYS_CACHE_TTL", "1s").start());
    otherHttp = new Http(other.port());
  }

  @AfterAll
  static void stopTheSecondReplica() {
    otherHttp.close();
    Await.result(other.stop());
  }

  @Test
  void aRevokedKeyIsRefusedAtOnceWhereItWasRevokedAndWithinTheTtlOnAnotherReplica() {
    JsonObject key = createKey("ws_revoke");
    String path = "/v1/api-keys/" + key.getString("id");
    assertThat(running.http().get(path, key.getString("key")).statusCode()).as("a new key works at once").isEqualTo(200);
    assertThat(otherHttp.get(path, key.getString("key")).statusCode()).isEqualTo(200);

    assertThat(running.http().delete(path, ADMIN).statusCode()).isEqualTo(204);

    assertThat(running.http().get(path, key.getString("key")).statusCode()).isEqualTo(401);
    Await.until("the other replica refuses the revoked key", () -> otherHttp.get(path, key.getString("key")).statusCode() == 401);
  }

  @Test
  void repeatedRequestsWithOneKeyReadPostgresqlOnce() {
    JsonObject key = createKey("ws_repeat");
    double misses = reads(running.gateway(), "miss");
    double hits = reads(running.gateway(), "hit");

    for (int i = 0; i < 10; i++) {
      assertThat(running.http().get("/v1/api-keys/" + key.getString("id"), key.getString("key")).statusCode()).isEqualTo(200);
    }

    assertThat(reads(running.gateway(), "miss") - misses).isEqualTo(1);
    assertThat(reads(running.gateway(), "hit") - hits).isEqualTo(9);
  }

  @Test
  void anotherReplicaReadsTheKeyAgainOnceItsTtlHasPassed() {
    JsonObject key = createKey("ws_ttl");
    String path = "/v1/api-keys/" + key.getString("id");
    assertThat(otherHttp.get(path, key.getString("key")).statusCode()).isEqualTo(200);
    double misses = reads(other, "miss");

    Await.until("the other replica reads the key from PostgreSQL again", () -> {
      assertThat(otherHttp.get(path, key.getString("key")).statusCode()).isEqualTo(200);
      return reads(other, "miss") > misses;
    });
  }

  @Test
  void anUnknownKeyIsRefusedAndCachedToo() {
    double misses = reads(running.gateway(), "miss");

    for (int i = 0; i < 3; i++) {
      assertThat(running.http().get("/v1/api-keys", "gw_unknown-key-for-the-cache-test").statusCode()).isEqualTo(401);
    }

    assertThat(reads(running.gateway(), "miss") - misses).isEqualTo(1);
  }

  @Test
  void theBootstrapAdminKeyIsNeverLookedUp() {
    double before = reads(running.gateway(), "hit") + reads(running.gateway(), "miss") + reads(running.gateway(), "load_failure");

    for (int i = 0; i < 5; i++) {
      assertThat(running.http().get("/v1/api-keys", ADMIN).statusCode()).isEqualTo(200);
    }

    assertThat(reads(running.gateway(), "hit") + reads(running.gateway(), "miss") + reads(running.gateway(), "load_failure"))
        .isEqualTo(before);
  }

  @Test
  void theCacheIsReportedOnMetrics() {
    createKey("ws_metrics");

    String metrics = running.scrapeMetrics();

    assertThat(metrics)
        .containsPattern("gateway_cache_reads_total\\{cache=\"api_keys\",result=\"hit\"}")
        .containsPattern("gateway_cache_reads_total\\{cache=\"api_keys\",result=\"miss\"}")
        .containsPattern("gateway_cache_reads_total\\{cache=\"api_keys\",result=\"load_failure\"}")
        .containsPattern("gateway_cache_entries\\{cache=\"api_keys\"}");
  }

  @Test
  void aReplicaWithANegativeTtlDoesNotStartAndNamesTheKey() {
    TestGateway misconfigured = TestGateway.forClass(ApiKeyCacheTest.class);
    assertThatThrownBy(() -> Await.result(misconfigured
            .with("GATEWAY_PG_SCHEMA", running.gateway().config().pg().schema())
            .with("GATEWAY_API_KEYS_CACHE_TTL", "PT-2S")
            .start()))
        .hasMessageContaining("api_keys.cache_ttl");
  }

  private static JsonObject createKey(String workspaceId) {
    var response = running.http().postJson("/v1/api-keys", ADMIN, new JsonObject().put("role", "workspace").put("workspace_id", workspaceId));
    assertThat(response.statusCode()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  private static double reads(Gateway gateway, String result) {
    return gateway.registry().get("gateway.cache.reads").tag("cache", "api_keys").tag("result", result).counter().count();
  }
}
