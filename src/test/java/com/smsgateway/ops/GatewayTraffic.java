package com.smsgateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gateway replica with a stand-in voice platform, driven through every feature SRE watches (in-call SMS out,
 * status callbacks, inbound to a call session, opt-out, outbound API, errors), so that its /metrics lists every
 * meter a dashboard or alert may name.
 */
final class GatewayTraffic implements AutoCloseable {
  private static final String ADMIN = TestGateway.ADMIN_KEY;
  private static final AtomicInteger NEXT_NUMBER = new AtomicInteger((int) (System.nanoTime() % 5000));

  private final Vertx voicePlatformVertx = Vertx.vertx();
  private final AtomicInteger sessionEvents = new AtomicInteger();
  private final Gateway gateway;
  private final Http http;

  GatewayTraffic(Class<?> testClass) {
    HttpServer voicePlatform = Await.result(voicePlatformVertx.createHttpServer()
        .requestHandler(request -> request.body().onSuccess(body -> {
          sessionEvents.incrementAndGet();
          request.response().setStatusCode(204).end();
        }))
        .listen(0, "127.0.0.1"));
    gateway = Await.result(TestGateway.forClass(testClass)
        .with("GATEWAY_CALL_SESSIONS_URL", "http://127.0.0.1:" + voicePlatform.actualPort() + "/sms-events")
        .with("GATEWAY_CALL_SESSIONS_SECRET", "in-call-secret-0123456789")
        .with("GATEWAY_CALL_SESSIONS_POLL_INTERVAL", "20ms")
        .with("GATEWAY_INBOUND_SWEEP_INTERVAL", "200ms")
        .with("GATEWAY_SANDBOX_CALLBACK_DELAY", "20ms")
        .with("GATEWAY_CALLS_GAUGE_REFRESH", "100ms")
        .with("GATEWAY_TWILIO_RETRY_INITIAL_BACKOFF", "10ms")
        // One segment a day for the pool's brand: the second in-call SMS is refused (429), so rejections are counted.
        .with("GATEWAY_RATELIMIT_TIERS_STANDARD_DAILY_SEGMENTS", "1")
        .with("GATEWAY_RATELIMIT_TIERS_STANDARD_DAILY_TMOBILE_SEGMENTS", "1")
        .start());
    http = new Http(gateway.port());
  }

  /** Drives the traffic, waits for its asynchronous outcomes, and answers the metric names /metrics then lists. */
  Set<String> exportedNamesAfterTraffic() {
    String pool = freshNumber();
    assertThat(http.postJson("/v1/pool-numbers", ADMIN, new JsonObject().put("phone_number", pool)).statusCode()).isEqualTo(201);
    String customer = freshNumber();
    String callId = "call-" + UUID.randomUUID();
    var call = http.postJson("/v1/calls", ADMIN, new JsonObject().put("call_id", callId).put("workspace_id", "ws_traffic")
        .put("agent_id", "agent_1").put("agent_number", freshNumber()).put("customer_number", customer));
    assertThat(call.statusCode()).as(call.bodyAsString()).isEqualTo(201);
    // Twilio answers the first send 500: retried, and counted as a Twilio API error.
    var fault = http.postJson("/sandbox/faults", ADMIN, new JsonObject().put("operation", "send").put("status", 500)
        .put("twilio_code", 20500).put("count", 1));
    assertThat(fault.statusCode()).as(fault.bodyAsString()).isIn(200, 201);
    var sms = http.postJson("/v1/calls/" + callId + "/sms", ADMIN, new JsonObject().put("template_id", "payment_link")
        .put("variables", new JsonObject().put("business_name", "Acme").put("payment_url", "https://pay.example/x1")));
    assertThat(sms.statusCode()).as(sms.bodyAsString()).isEqualTo(202);
    String messageId = sms.bodyAsJsonObject().getString("message_id");
    Await.until("the in-call text is delivered", () -> "delivered".equals(
        http.get("/v1/messages/" + messageId, ADMIN).bodyAsJsonObject().getString("status")));

    var overBudget = http.postJson("/v1/calls/" + callId + "/sms", ADMIN, new JsonObject().put("template_id", "payment_link")
        .put("variables", new JsonObject().put("business_name", "Acme").put("payment_url", "https://pay.example/x2")));
    assertThat(overBudget.statusCode()).as(overBudget.bodyAsString()).isEqualTo(429);
    inbound(customer, pool, "reply during the call");
    Await.until("the reply reaches the call session", () -> sessionEvents.get() > 0);
    inbound(freshNumber(), pool, "STOP");
    http.postJson("/v1/messages", ADMIN, new JsonObject().put("to", "not a number"));
    http.post("/twilio/messages", null, "application/x-www-form-urlencoded", Buffer.buffer("MessageSid=SMforged&Body=unsigned"));
    http.get("/v1/messages/no-such-message", ADMIN);
    return exportedNames();
  }

  Set<String> exportedNames() {
    Set<String> names = new TreeSet<>();
    metricsText().lines()
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
    return names;
  }

  /** /metrics, served on the management port. */
  String metricsText() {
    try (Http management = new Http(gateway.managementPort())) {
      var response = management.get("/metrics", null);
      assertThat(response.statusCode()).isEqualTo(200);
      return response.bodyAsString();
    }
  }

  private void inbound(String from, String to, String body) {
    var response = http.postJson("/sandbox/inbound", ADMIN,
        new JsonObject().put("from", from).put("to", to).put("body", body).put("media_urls", new JsonArray()));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
  }

  private static String freshNumber() {
    int n = NEXT_NUMBER.getAndIncrement();
    return String.format("+1%03d556%04d", 300 + (n / 10_000) % 600, n % 10_000);
  }

  @Override
  public void close() {
    http.close();
    Await.result(gateway.stop());
    Await.result(voicePlatformVertx.close());
  }
}
