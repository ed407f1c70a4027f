package com.smsgateway.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.TcpProxy;
import com.smsgateway.testing.TestGateway;
import com.smsgateway.testing.TestServices;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import org.junit.jupiter.api.Test;

class StartupAndReadinessTest {

  @Test
  void startsAgainstRealServicesAndIsReady() {
    Gateway gateway = Await.result(TestGateway.forClass(StartupAndReadinessTest.class).start());
    try (Http http = new Http(gateway.port())) {
      var live = http.get("/health/live", null);
      var ready = http.get("/health/ready", null);

      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    } finally {
      Await.result(gateway.stop());
    }
  }

  @Test
  void readinessIs503NamingRedisWhenRedisBecomesUnreachable() {
    URI redis = URI.create(TestServices.redisUrl());
    TcpProxy proxy = new TcpProxy(redis.getHost(), redis.getPort());
    Gateway gateway = Await.result(TestGateway.forClass(StartupAndReadinessTest.class)
        .with("GATEWAY_REDIS_URL", "redis://127.0.0.1:" + proxy.port())
        .with("GATEWAY_HEALTH_CHECK_TIMEOUT", "1s")
        .start());
    try (Http http = new Http(gateway.port())) {
      assertThat(http.get("/health/ready", null).statusCode()).isEqualTo(200);

      proxy.close();
      var ready = http.get("/health/ready", null);

      assertThat(ready.statusCode()).isEqualTo(503);
      JsonObject body = ready.bodyAsJsonObject();
      assertThat(body.getJsonObject("error").getString("code")).isEqualTo("not_ready");
      assertThat(body.getJsonObject("error").getString("message")).contains("redis").doesNotContain("postgresql");
    } finally {
      Await.result(gateway.stop());
    }
  }

  @Test
  void startUpFailsNamingRedisWhenItIsUnreachable() {
    int closedPort = com.smsgateway.testing.EmbeddedServices.freePort();

    var start = TestGateway.forClass(StartupAndReadinessTest.class)
        .with("GATEWAY_REDIS_URL", "redis://127.0.0.1:" + closedPort)
        .start();

    assertThatThrownBy(() -> Await.result(start)).hasMessageContaining("Redis").hasMessageContaining(":" + closedPort);
  }

  @Test
  void startUpFailsNamingPostgresqlWhenItIsUnreachable() {
    int closedPort = com.smsgateway.testing.EmbeddedServices.freePort();

    var start = TestGateway.forClass(StartupAndReadinessTest.class)
        .with("GATEWAY_PG_URL", "postgresql://postgres@127.0.0.1:" + closedPort + "/test")
        .with("GATEWAY_PG_CONNECT_TIMEOUT", "1s")
        .start();

    assertThatThrownBy(() -> Await.result(start)).hasMessageContaining("PostgreSQL").hasMessageContaining(":" + closedPort);
  }
}
