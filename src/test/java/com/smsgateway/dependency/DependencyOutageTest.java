package com.smsgateway.dependency;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.TcpProxy;
import com.smsgateway.testing.TestGateway;
import com.smsgateway.testing.TestServices;
import com.smsgateway.twilio.TwilioConfig;
import com.smsgateway.twilio.TwilioSignature;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL and Redis reached through proxies the test cuts: while one is down the gateway answers 503
 * {@code dependency_unavailable} with {@code Retry-After} within its deadlines, and serves again once it is back,
 * with everything it acknowledged stored.
 */
class DependencyOutageTest {
  private static final String AGENT = "+14155550170";
  private static final long ANSWER_WITHIN_MS = 10_000;
  private static TcpProxy pgProxy;
  private static TcpProxy redisProxy;
  private static Gateway gateway;
  private static Http http;
  private static String key;

  @BeforeAll
  static void start() {
    URI pg = URI.create(TestServices.pgUrl());
    URI redis = URI.create(TestServices.redisUrl());
    pgProxy = new TcpProxy(pg.getHost(), pg.getPort());
    redisProxy = new TcpProxy(redis.getHost(), redis.getPort());
    gateway = Await.result(TestGateway.forClass(DependencyOutageTest.class)
        .with("GATEWAY_TWILIO_MODE", "sandbox")
        .with("GATEWAY_PG_URL", TestServices.pgUrl().replace(":" + pg.getPort() + "/", ":" + pgProxy.port() + "/"))
        .with("GATEWAY_PG_CONNECT_TIMEOUT", "1s")
        .with("GATEWAY_PG_STATEMENT_TIMEOUT", "2s")
        .with("GATEWAY_REDIS_URL", "redis://127.0.0.1:" + redisProxy.port())
        .with("GATEWAY_REDIS_COMMAND_TIMEOUT", "1s")
        .with("GATEWAY_HEALTH_PROBE_INTERVAL", "200ms")
        .start());
    http = new Http(gateway.port());
    key = http.postJson("/v1/api-keys", TestGateway.ADMIN_KEY, new JsonObject().put("role", "workspace").put("workspace_id", "ws_outage"))
        .bodyAsJsonObject().getString("key");
    assertThat(http.putJson("/v1/sms-numbers/" + AGENT, TestGateway.ADMIN_KEY, new JsonObject()
        .put("type", "platform").put("workspace_id", "ws_outage").put("agent_id", "agent_outage").put("sms_status", "enabled"))
        .statusCode()).isIn(200, 201);
  }

  @AfterAll
  static void stop() {
    http.close();
    Await.result(gateway.stop());
    pgProxy.close();
    redisProxy.close();
  }

  @Test
  void postgresqlDownIs503WithRetryAfterOnSendsAndWebhooksThenServedAgainWithNothingAcknowledgedLost() {
    List<String> acknowledgedSids = new ArrayList<>();
    pgProxy.cut();
    try {
      assertUnavailable(send("+14155550171"), "postgres");
      String sid = newSid();
      HttpResponse<Buffer> webhook = inbound(sid);
      assertUnavailable(webhook, "postgres");
      assertThat(webhook.getHeader("Content-Type")).startsWith("application/json");
      Await.until("postgres is counted down", () -> metric("gateway_dependency_up{dependency=\"postgres\"}") == 0);
      assertThat(metric("gateway_dependency_failures_total{dependency=\"postgres\"}")).isPositive();
    } finally {
      pgProxy.restore();
    }

    Await.until("sends are accepted again", () -> send("+14155550172").statusCode() == 202);
    String sid = newSid();
    assertThat(inbound(sid).statusCode()).isEqualTo(200);
    acknowledgedSids.add(sid);
    for (String stored : acknowledgedSids) {
      assertThat(Await.result(gateway.pg().preparedQuery("SELECT count(*) AS n FROM messages WHERE twilio_sid = $1")
          .execute(Tuple.of(stored))).iterator().next().getLong("n")).isEqualTo(1);
    }
    Await.until("postgres is counted up again", () -> metric("gateway_dependency_up{dependency=\"postgres\"}") == 1);
  }

  @Test
  void redisDownIs503WithRetryAfterThenServedAgain() {
    redisProxy.cut();
    try {
      assertUnavailable(send("+14155550173"), "redis");
      Await.until("redis is counted down", () -> metric("gateway_dependency_up{dependency=\"redis\"}") == 0);
    } finally {
      redisProxy.restore();
    }
    Await.until("sends are accepted again", () -> send("+14155550174").statusCode() == 202);
  }

  @Test
  void hungDependenciesAre503WithinTheirDeadlinesThenServedAgain() {
    redisProxy.hang();
    try {
      assertUnavailable(send("+14155550176"), "redis");
    } finally {
      redisProxy.restore();
    }
    Await.until("sends are accepted again after Redis hung", () -> send("+14155550177").statusCode() == 202);

    pgProxy.hang();
    try {
      assertUnavailable(send("+14155550178"), "postgres");
    } finally {
      pgProxy.restore();
    }
    Await.until("sends are accepted again after PostgreSQL hung", () -> send("+14155550179").statusCode() == 202);
  }

  @Test
  void readinessNamesTheDependencyWithoutItsErrorText() {
    redisProxy.cut();
    try {
      HttpResponse<Buffer> ready = http.get("/health/ready", null);

      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.bodyAsString()).contains("redis").doesNotContain("127.0.0.1").doesNotContain("Connection").doesNotContain("Exception");
    } finally {
      redisProxy.restore();
    }
  }

  private static void assertUnavailable(HttpResponse<Buffer> response, String dependency) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After")).matches("[1-9][0-9]*");
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("dependency_unavailable");
    assertThat(error.getString("dependency")).isEqualTo(dependency);
  }

  private static HttpResponse<Buffer> send(String to) {
    return Http.send(http.request(HttpMethod.POST, "/v1/messages")
        .timeout(ANSWER_WITHIN_MS)
        .putHeader("Authorization", "Bearer " + key)
        .putHeader("Content-Type", "application/json"),
        new JsonObject().put("from_number", AGENT).put("to_number", to).put("body", "Your table is ready").toBuffer());
  }

  private static HttpResponse<Buffer> inbound(String sid) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap()
        .add("MessageSid", sid).add("AccountSid", TwilioConfig.SANDBOX_ACCOUNT_SID)
        .add("From", "+14155550175").add("To", AGENT).add("Body", "hello").add("NumMedia", "0");
    String url = gateway.config().publicBaseUrl() + "/twilio/messages";
    String form = params.entries().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return Http.send(http.request(HttpMethod.POST, "/twilio/messages")
        .timeout(ANSWER_WITHIN_MS)
        .putHeader("Content-Type", "application/x-www-form-urlencoded")
        .putHeader(TwilioSignature.HEADER, TwilioSignature.compute(TwilioConfig.SANDBOX_AUTH_TOKEN, url, params)), Buffer.buffer(form));
  }

  private static double metric(String series) {
    return gateway.registry().scrape().lines()
        .filter(line -> line.startsWith(series + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst().orElse(Double.NaN);
  }

  private static String newSid() {
    return "SM" + UUID.randomUUID().toString().replace("-", "");
  }
}
