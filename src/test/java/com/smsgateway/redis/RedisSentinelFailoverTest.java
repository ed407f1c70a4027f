package com.smsgateway.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.LocalRedis;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * redis.mode: sentinel with a master, a replica and one Sentinel (local redis-server processes): a Sentinel
 * fail-over while in-call SMS are being sent loses no acknowledged text and lets no brand exceed its daily cap.
 */
class RedisSentinelFailoverTest {
  private static final String MASTER = "gateway-master";
  /** The pool brand's daily cap (segments); the test sends until well past it. */
  private static final int CAP = 40;
  private static final String ADMIN = TestGateway.ADMIN_KEY;

  private static LocalRedis redis;
  private static Gateway gateway;
  private static Http http;

  @BeforeAll
  static void start() {
    assumeTrue(LocalRedis.installed(), "redis-server is not installed here: the Sentinel fail-over test did NOT run (CI installs it)");
    redis = LocalRedis.sentinel(MASTER);
    gateway = Await.result(TestGateway.forClass(RedisSentinelFailoverTest.class)
        .with("GATEWAY_REDIS_MODE", "sentinel")
        .with("GATEWAY_REDIS_ENDPOINTS", "redis://127.0.0.1:" + redis.ports().get(2))
        .with("GATEWAY_REDIS_MASTER_NAME", MASTER)
        .with("GATEWAY_REDIS_WAIT_REPLICAS", "1")
        .with("GATEWAY_RATELIMIT_TIERS_STANDARD_DAILY_SEGMENTS", Integer.toString(CAP))
        .with("GATEWAY_RATELIMIT_TIERS_STANDARD_DAILY_TMOBILE_SEGMENTS", Integer.toString(CAP))
        .with("GATEWAY_RATELIMIT_TIERS_STANDARD_SEGMENTS_PER_SECOND", "100000")
        .start());
    http = new Http(gateway.port());
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      http.close();
      Await.result(gateway.stop());
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void aFailoverDuringInCallSmsLosesNoAcknowledgedTextAndOvershootsNoBudget() throws Exception {
    String pool = "+1415556" + String.format("%04d", (int) (Math.random() * 10_000));
    assertThat(http.postJson("/v1/pool-numbers", ADMIN, new JsonObject().put("phone_number", pool)).statusCode()).isEqualTo(201);
    String callId = "call-" + UUID.randomUUID();
    var call = http.postJson("/v1/calls", ADMIN, new JsonObject().put("call_id", callId).put("workspace_id", "ws_sentinel")
        .put("agent_id", "agent_1").put("agent_number", "+14155550100").put("customer_number", "+14155550199"));
    assertThat(call.statusCode()).as(call.bodyAsString()).isEqualTo(201);
    JsonObject template = new JsonObject().put("template_id", "payment_link")
        .put("variables", new JsonObject().put("business_name", "Acme").put("payment_url", "https://pay.example/f1"));

    List<String> acknowledged = new ArrayList<>();
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    AtomicBoolean failedOver = new AtomicBoolean();
    AtomicInteger refusedAfterFailover = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService senders = Executors.newFixedThreadPool(4);
    for (int i = 0; i < 4; i++) {
      senders.submit(() -> {
        while (!stop.get()) {
          var answer = http.postJson("/v1/calls/" + callId + "/sms", ADMIN, template);
          statuses.computeIfAbsent(answer.statusCode(), code -> new AtomicInteger()).incrementAndGet();
          if (answer.statusCode() == 202) {
            synchronized (acknowledged) {
              acknowledged.add(answer.bodyAsJsonObject().getString("message_id"));
            }
          } else if (answer.statusCode() == 429 && failedOver.get()) {
            refusedAfterFailover.incrementAndGet();
          }
        }
        return null;
      });
    }
    Await.until("some texts are acknowledged before the fail-over", () -> count(acknowledged) >= CAP / 2);
    String oldMaster = masterPort();
    redis.cli(redis.ports().get(2), "sentinel", "failover", MASTER);
    Await.until("the Sentinel promoted the replica", () -> !masterPort().equals(oldMaster));
    failedOver.set(true);
    Await.until("the brand's cap refuses texts after the fail-over", () -> refusedAfterFailover.get() >= 10);
    stop.set(true);
    senders.shutdown();
    assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

    assertThat(statuses.keySet()).as("answers: %s", statuses).isSubsetOf(202, 429, 503);
    assertThat(acknowledged).as("acknowledged texts never exceed the daily cap (answers: %s)", statuses).hasSizeLessThanOrEqualTo(CAP);
    for (String id : acknowledged) {
      assertThat(http.get("/v1/messages/" + id, ADMIN).statusCode()).as("acknowledged text %s is stored", id).isEqualTo(200);
    }
    JsonObject usage = http.get("/v1/brands/platform-pool/usage", ADMIN).bodyAsJsonObject();
    assertThat(usage.getJsonObject("limits").getJsonObject("daily_total").getLong("used"))
        // At least: a charge the replica did not confirm in time is refused (503) but stays charged (fail closed).
        .as("the budget lost no acknowledged segment: %s", usage).isGreaterThanOrEqualTo((long) acknowledged.size());
  }

  private static int count(List<String> list) {
    synchronized (list) {
      return list.size();
    }
  }

  private static String masterPort() {
    return redis.cli(redis.ports().get(2), "sentinel", "get-master-addr-by-name", MASTER).lines().skip(1).findFirst().orElse("").trim();
  }
}
