package com.smsgateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** X-Request-Id: adopted or generated, returned, on the log lines of the request, and sent on the gateway's calls out. */
class RequestIdTest {
  private static final String ADMIN = TestGateway.ADMIN_KEY;
  private static final org.slf4j.Logger probeLog = LoggerFactory.getLogger("request-id-probe");
  /** X-Request-Id of each request the gateway made to Twilio (through the recording proxy). */
  private static final List<String> toTwilio = new CopyOnWriteArrayList<>();
  private static final List<String> toVoicePlatform = new CopyOnWriteArrayList<>();
  private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private static final AtomicInteger gatewayPort = new AtomicInteger();
  private static Vertx standIns;
  private static Gateway gateway;
  private static Http http;

  @BeforeAll
  static void start() {
    standIns = Vertx.vertx();
    WebClient forward = WebClient.create(standIns);
    // Records the header, then forwards to the gateway's own Twilio sandbox.
    HttpServer twilioProxy = Await.result(standIns.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      toTwilio.add(String.valueOf(request.getHeader(RequestIds.HEADER)));
      var outgoing = forward.request(request.method(), gatewayPort.get(), "127.0.0.1", request.uri());
      request.headers().forEach(header -> {
        if (!header.getKey().equalsIgnoreCase("Host") && !header.getKey().equalsIgnoreCase("Content-Length")) {
          outgoing.putHeader(header.getKey(), header.getValue());
        }
      });
      outgoing.sendBuffer(body).onSuccess(answer -> {
        request.response().setStatusCode(answer.statusCode());
        answer.headers().forEach(header -> {
          if (!header.getKey().equalsIgnoreCase("Content-Length")) {
            request.response().putHeader(header.getKey(), header.getValue());
          }
        });
        request.response().end(answer.bodyAsBuffer() == null ? io.vertx.core.buffer.Buffer.buffer() : answer.bodyAsBuffer());
      }).onFailure(e -> request.response().setStatusCode(502).end());
    })).listen(0, "127.0.0.1"));
    HttpServer voicePlatform = Await.result(standIns.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      toVoicePlatform.add(String.valueOf(request.getHeader(RequestIds.HEADER)));
      request.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1"));
    logs.start();
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    gateway = Await.result(TestGateway.forClass(RequestIdTest.class,
            router -> router.get("/test/log-twice").handler(ctx -> {
              probeLog.info("first line");
              ctx.vertx().timer(5).onComplete(fired -> {
                probeLog.info("second line, after an asynchronous step");
                ctx.response().end("ok");
              });
            }))
        .with("GATEWAY_TWILIO_API_BASE_URL", "http://127.0.0.1:" + twilioProxy.actualPort() + "/sandbox/twilio")
        .with("GATEWAY_CALL_SESSIONS_URL", "http://127.0.0.1:" + voicePlatform.actualPort() + "/sms-events")
        .with("GATEWAY_CALL_SESSIONS_SECRET", "in-call-secret-0123456789")
        .with("GATEWAY_CALL_SESSIONS_POLL_INTERVAL", "20ms")
        .start());
    gatewayPort.set(gateway.port());
    http = new Http(gateway.port());
  }

  @AfterAll
  static void stop() {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    http.close();
    Await.result(gateway.stop());
    Await.result(standIns.close());
  }

  @Test
  void aRequestWithoutAnIdGetsOneAndASaneIdIsKeptWhileAnInsaneOneIsReplaced() {
    String generated = http.get("/health/live", null).getHeader(RequestIds.HEADER);
    String kept = send("/health/live", "req-abc.123:x").getHeader(RequestIds.HEADER);
    String replaced = send("/health/live", "has spaces \" and quotes").getHeader(RequestIds.HEADER);
    String tooLong = send("/health/live", "a".repeat(129)).getHeader(RequestIds.HEADER);

    assertThat(generated).matches("[0-9a-f-]{36}");
    assertThat(kept).isEqualTo("req-abc.123:x");
    assertThat(replaced).matches("[0-9a-f-]{36}");
    assertThat(tooLong).matches("[0-9a-f-]{36}");
    assertThat(send("/v1/messages/nope", "req-404").getHeader(RequestIds.HEADER)).as("error answers too").isEqualTo("req-404");
  }

  @Test
  void everyLogLineAboutARequestCarriesItsIdAcrossAsynchronousStepsAndOthersDoNot() {
    String id = "req-" + UUID.randomUUID();

    assertThat(send("/test/log-twice", id).statusCode()).isEqualTo(200);
    send("/test/log-twice", null);

    List<ILoggingEvent> lines = logs.list.stream().filter(e -> e.getLoggerName().equals("request-id-probe")).toList();
    assertThat(lines.stream().filter(e -> id.equals(e.getMDCPropertyMap().get("request_id"))).map(ILoggingEvent::getMessage))
        .containsExactly("first line", "second line, after an asynchronous step");
    assertThat(lines.stream().map(e -> e.getMDCPropertyMap().get("request_id")).distinct()).as("the other request had its own id")
        .hasSize(2).doesNotContainNull();
  }

  @Test
  void theGatewaysCallsToTwilioCarryTheRequestsIdAndCallsToTheVoicePlatformCarryOne() {
    String id = "req-" + UUID.randomUUID();
    String pool = "+1415557" + String.format("%04d", (int) (Math.random() * 10_000));
    assertThat(http.postJson("/v1/pool-numbers", ADMIN, new JsonObject().put("phone_number", pool)).statusCode()).isEqualTo(201);
    String customer = "+1415558" + String.format("%04d", (int) (Math.random() * 10_000));
    String callId = "call-" + UUID.randomUUID();
    assertThat(http.postJson("/v1/calls", ADMIN, new JsonObject().put("call_id", callId).put("workspace_id", "ws_reqid")
        .put("agent_id", "agent_1").put("agent_number", "+14155550100").put("customer_number", customer)).statusCode()).isEqualTo(201);

    var sms = Http.send(http.request(HttpMethod.POST, "/v1/calls/" + callId + "/sms")
        .putHeader("Authorization", "Bearer " + ADMIN).putHeader("Content-Type", "application/json").putHeader(RequestIds.HEADER, id),
        new JsonObject().put("template_id", "payment_link").put("variables", new JsonObject().put("business_name", "Acme")
            .put("payment_url", "https://pay.example/r")).toBuffer());
    assertThat(sms.statusCode()).as(sms.bodyAsString()).isEqualTo(202);
    Await.until("the text is sent to Twilio", () -> toTwilio.size() >= 2);
    http.postJson("/sandbox/inbound", ADMIN, new JsonObject().put("from", customer).put("to", pool).put("body", "reply")
        .put("media_urls", new io.vertx.core.json.JsonArray()));
    Await.until("the reply reaches the voice platform", () -> !toVoicePlatform.isEmpty());

    assertThat(toTwilio).as("the carrier lookup made while answering the request").contains(id);
    assertThat(toTwilio).allSatisfy(sent -> assertThat(sent).isNotEqualTo("null"));
    assertThat(toVoicePlatform).allSatisfy(sent -> assertThat(sent).isNotEqualTo("null"));
  }

  private static io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> send(String path, String requestId) {
    var request = http.request(HttpMethod.GET, path).putHeader("Authorization", "Bearer " + ADMIN);
    if (requestId != null) {
      request.putHeader(RequestIds.HEADER, requestId);
    }
    return Http.send(request, null);
  }
}
