package com.smsgateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Await;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TcpProxy;
import com.smsgateway.testing.TestGateway;
import com.smsgateway.testing.TestServices;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The route decision made before a text is stored: a text no handler could take is stored unrouted by its INSERT
 * alone and never offered; a text some handler might take, or whose decision failed (Redis down, a handler too slow),
 * is stored pending and dispatched as before. The gateway's own handlers (calls, chats) decide through Redis, reached
 * through a proxy the test cuts.
 */
class InboundRouteDecisionTest {
  private static final String CUSTOMER = "+14155550100";
  private static final String HANDLERS_NUMBER = "+14155550111";
  private static final String NOBODYS_NUMBER = "+14155550112";

  private static final TcpProxy redisProxy;
  static {
    URI redis = URI.create(TestServices.redisUrl());
    redisProxy = new TcpProxy(redis.getHost(), redis.getPort());
  }
  private static final RecordingHandler handler = RecordingHandler.deciding("test_deciding", HANDLERS_NUMBER);

  /** Registered first, so it runs after the gateway stopped. */
  @RegisterExtension
  @Order(1)
  static final AfterAllCallback closeProxy = context -> redisProxy.close();
  @RegisterExtension
  @Order(2)
  static final RunningGateway replica = new RunningGateway(TestGateway.forClass(InboundRouteDecisionTest.class)
      .with("GATEWAY_REDIS_URL", "redis://127.0.0.1:" + redisProxy.port())
      .with("GATEWAY_INBOUND_SWEEP_INTERVAL", "100ms")
      .with("GATEWAY_INBOUND_DISPATCH_GRACE", "1s")
      // Deadlines of the dependencies stay shorter than the lease (checked at start-up).
      .with("GATEWAY_PG_STATEMENT_TIMEOUT", "800ms")
      .with("GATEWAY_REDIS_COMMAND_TIMEOUT", "800ms")
      .with("GATEWAY_INBOUND_DISPATCH_RETRY_INITIAL", "100ms")
      .with("GATEWAY_INBOUND_DISPATCH_RETRY_MAX", "200ms")
      .withInboundHandler(handler));
  private static final TwilioInboundClient twilio = new TwilioInboundClient(replica);

  private static Future<HttpResponse<Buffer>> post(String sid, String to) {
    return twilio.postAsync(TwilioInboundClient.sms(sid, CUSTOMER, to, "Can you move my appointment to Thursday?"));
  }

  private static String text(String to) {
    String sid = TwilioInboundClient.newSid();
    assertThat(Await.result(post(sid, to)).statusCode()).isEqualTo(200);
    return sid;
  }

  private static JsonObject row(String sid) {
    return StoredInbound.row(replica, sid).orElseThrow();
  }

  private static void awaitState(String sid, String state) {
    Await.until(sid + " is " + state, () -> state.equals(StoredInbound.dispatchState(replica, sid)));
  }

  /** As the INSERT wrote it, and nothing since: an UPDATE would have set updated_at to its own transaction's time. */
  private static void assertStoredUnroutedByItsInsertAlone(String sid) {
    JsonObject row = row(sid);
    assertThat(row.getString("dispatch_state")).isEqualTo("unrouted");
    assertThat(row.getString("dispatched_to")).isNull();
    assertThat(row.getInteger("dispatch_attempts")).isZero();
    assertThat(row.getString("lease_owner")).isNull();
    assertThat(row.getString("lease_until")).isNull();
    assertThat(row.getString("updated_at")).isEqualTo(row.getString("created_at"));
  }

  private static double counter(String name, String... tags) {
    return StoredInbound.counter(replica, name, tags);
  }

  @Test
  void aTextNoHandlerCouldTakeIsStoredUnroutedByItsInsertCountedAndNeverOffered() {
    double unroutedBefore = counter("gateway.inbound.unrouted");

    String sid = text(NOBODYS_NUMBER);

    assertStoredUnroutedByItsInsertAlone(sid);
    assertThat(counter("gateway.inbound.unrouted")).isEqualTo(unroutedBefore + 1);
    // A text dispatched after it has been through the dispatcher: the first one was never handed to it.
    String dispatched = text(HANDLERS_NUMBER);
    awaitState(dispatched, "dispatched");
    assertThat(handler.offersOf(sid)).isEmpty();
    assertStoredUnroutedByItsInsertAlone(sid);
    assertThat(counter("gateway.inbound.unrouted")).isEqualTo(unroutedBefore + 1);
  }

  @Test
  void aTextAHandlerMightTakeIsStoredPendingAndDispatchedToIt() {
    double before = counter("gateway.inbound.dispatched", "handler", "test_deciding");

    String sid = text(HANDLERS_NUMBER);

    awaitState(sid, "dispatched");
    assertThat(row(sid).getString("dispatched_to")).isEqualTo("test_deciding");
    assertThat(row(sid).getInteger("dispatch_attempts")).isEqualTo(1);
    assertThat(handler.offersOf(sid)).hasSize(1);
    Await.until("the dispatch is counted", () -> counter("gateway.inbound.dispatched", "handler", "test_deciding") >= before + 1);
  }

  @Test
  void concurrentTextsOfBothKindsEachGetTheirOwnDecision() {
    List<String> ordinary = new ArrayList<>();
    List<String> handlers = new ArrayList<>();
    List<Future<HttpResponse<Buffer>>> posts = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      String sid = TwilioInboundClient.newSid();
      (i % 3 == 0 ? handlers : ordinary).add(sid);
      posts.add(post(sid, i % 3 == 0 ? HANDLERS_NUMBER : NOBODYS_NUMBER));
    }

    Await.result(Future.all(posts));

    posts.forEach(response -> assertThat(response.result().statusCode()).isEqualTo(200));
    handlers.forEach(sid -> awaitState(sid, "dispatched"));
    handlers.forEach(sid -> assertThat(handler.offersOf(sid)).hasSize(1));
    ordinary.forEach(sid -> {
      assertStoredUnroutedByItsInsertAlone(sid);
      assertThat(handler.offersOf(sid)).isEmpty();
    });
  }

  @Test
  void whileRedisIsDownATextIsStoredPendingThenDispatchedOnceRedisIsBack() {
    double failuresBefore = counter("gateway.inbound.route_decision.failures", "handler", "call_session");
    String sid;
    redisProxy.cut();
    try {
      sid = text(NOBODYS_NUMBER);

      assertThat(row(sid).getString("dispatch_state")).isEqualTo("pending");
      assertThat(counter("gateway.inbound.route_decision.failures", "handler", "call_session")).isEqualTo(failuresBefore + 1);
    } finally {
      redisProxy.restore();
    }

    awaitState(sid, "unrouted");
    assertThat(row(sid).getInteger("dispatch_attempts")).isGreaterThanOrEqualTo(1);
    assertThat(handler.offersOf(sid)).isNotEmpty();
  }

  @Test
  void aHandlerWhoseDecisionFailsGetsTheTextOfferedAfterTheCommit() {
    double failuresBefore = counter("gateway.inbound.route_decision.failures", "handler", "test_deciding");
    handler.failNextDecisions(1);

    String sid = text(NOBODYS_NUMBER);

    awaitState(sid, "unrouted");
    assertThat(row(sid).getInteger("dispatch_attempts")).isEqualTo(1);
    assertThat(handler.offersOf(sid)).hasSize(1);
    assertThat(counter("gateway.inbound.route_decision.failures", "handler", "test_deciding")).isEqualTo(failuresBefore + 1);
  }

  @Test
  void aHandlerThatDoesNotDecideInTimeGetsTheTextOfferedAfterTheCommit() {
    double failuresBefore = counter("gateway.inbound.route_decision.failures", "handler", "test_deciding");
    handler.stallNextDecisions(1);

    String sid = text(NOBODYS_NUMBER);

    awaitState(sid, "unrouted");
    assertThat(row(sid).getInteger("dispatch_attempts")).isEqualTo(1);
    assertThat(handler.offersOf(sid)).hasSize(1);
    assertThat(counter("gateway.inbound.route_decision.failures", "handler", "test_deciding")).isEqualTo(failuresBefore + 1);
  }
}
