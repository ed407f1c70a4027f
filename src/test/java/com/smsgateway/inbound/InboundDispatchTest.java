package com.smsgateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.messages.Message;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The durable hand-off of stored texts to handlers, on two replicas sweeping the same table. */
class InboundDispatchTest {
  private static final String CUSTOMER = "+14155550100";
  private static final String CALL_NUMBER = "+14155550101";
  private static final String CHAT_NUMBER = "+14155550102";
  private static final String FLAKY_NUMBER = "+14155550103";
  private static final String BROKEN_NUMBER = "+14155550104";
  private static final String NOBODYS_NUMBER = "+14155550105";
  private static final int MAX_ATTEMPTS = 3;

  private static final RecordingHandler calls = new RecordingHandler("test_calls", CALL_NUMBER);
  private static final RecordingHandler chat = new RecordingHandler("test_chat", CHAT_NUMBER);
  private static final RecordingHandler flaky = new RecordingHandler("test_flaky", FLAKY_NUMBER);
  private static final RecordingHandler broken = new RecordingHandler("test_broken", BROKEN_NUMBER);

  private static final TestGateway replicas = TestGateway.forClass(InboundDispatchTest.class)
      .with("GATEWAY_INBOUND_SWEEP_INTERVAL", "100ms")
      .with("GATEWAY_INBOUND_DISPATCH_GRACE", "1s")
      // Deadlines of the dependencies stay shorter than the lease (checked at start-up).
      .with("GATEWAY_PG_STATEMENT_TIMEOUT", "800ms")
      .with("GATEWAY_REDIS_COMMAND_TIMEOUT", "800ms")
      .with("GATEWAY_INBOUND_MAX_DISPATCH_ATTEMPTS", Integer.toString(MAX_ATTEMPTS))
      .with("GATEWAY_INBOUND_DISPATCH_RETRY_INITIAL", "100ms")
      .with("GATEWAY_INBOUND_DISPATCH_RETRY_MAX", "200ms")
      .withInboundHandler(calls)
      .withInboundHandler(chat)
      .withInboundHandler(flaky)
      .withInboundHandler(broken);
  @RegisterExtension
  static final RunningGateway replicaA = new RunningGateway(replicas);
  @RegisterExtension
  static final RunningGateway replicaB = new RunningGateway(replicas);
  private static final TwilioInboundClient twilio = new TwilioInboundClient(replicaA);

  private static String text(String to) {
    String sid = TwilioInboundClient.newSid();
    assertThat(twilio.post(TwilioInboundClient.sms(sid, CUSTOMER, to, "Is my order ready?")).statusCode()).isEqualTo(200);
    return sid;
  }

  private static void awaitState(String sid, String state) {
    Await.until(sid + " is " + state, () -> state.equals(StoredInbound.dispatchState(replicaA, sid)));
  }

  /** A row as a replica that died right after committing it leaves it: pending, leased to nobody alive. */
  private static String insertPending(String to, int leaseSecondsFromNow) {
    String sid = TwilioInboundClient.newSid();
    Await.result(replicaA.gateway().pg().preparedQuery("""
            INSERT INTO messages (id, direction, twilio_sid, account_sid, from_number, to_number, body, status,
                                  dispatch_state, dispatch_attempts, lease_owner, lease_until)
            VALUES ($1, 'inbound', $2, 'AC00000000000000000000000000000000', $3, $4, 'left behind', 'received',
                    'pending', 1, 'crashed-replica', now() + $5 * interval '1 second')
            """)
        .execute(Tuple.of("msg_" + sid, sid, CUSTOMER, to, leaseSecondsFromNow)));
    return sid;
  }

  private static double bothReplicas(String counter, String... tags) {
    return StoredInbound.counter(replicaA, counter, tags) + StoredInbound.counter(replicaB, counter, tags);
  }

  @Test
  void theFirstHandlerThatTakesATextGetsItAndIsRecorded() {
    double before = StoredInbound.counter(replicaA, "gateway.inbound.dispatched", "handler", "test_chat");

    String sid = text(CHAT_NUMBER);

    awaitState(sid, "dispatched");
    assertThat(StoredInbound.row(replicaA, sid).orElseThrow().getString("dispatched_to")).isEqualTo("test_chat");
    assertThat(calls.offersOf(sid)).hasSize(1);
    assertThat(chat.offersOf(sid)).hasSize(1);
    assertThat(flaky.offersOf(sid)).isEmpty();
    Await.until("the dispatched text is counted",
        () -> StoredInbound.counter(replicaA, "gateway.inbound.dispatched", "handler", "test_chat") >= before + 1);
    assertThat(StoredInbound.counter(replicaA, "gateway.inbound.dispatched", "handler", "test_chat")).isEqualTo(before + 1);
  }

  @Test
  void theHandlerReceivesTheStoredMessage() {
    String sid = text(CALL_NUMBER);

    Await.until("the call handler is offered the text", () -> calls.offersOf(sid).size() == 1);
    Message offered = calls.offersOf(sid).get(0);
    JsonObject row = StoredInbound.row(replicaA, sid).orElseThrow();
    assertThat(offered.id()).isEqualTo(row.getString("id"));
    assertThat(offered.direction()).isEqualTo("inbound");
    assertThat(offered.fromNumber()).isEqualTo(CUSTOMER);
    assertThat(offered.toNumber()).isEqualTo(CALL_NUMBER);
    assertThat(offered.body()).isEqualTo("Is my order ready?");
    assertThat(offered.segments()).isEqualTo(1);
    assertThat(offered.accountSid()).isEqualTo("AC00000000000000000000000000000000");
    assertThat(offered.createdAt()).isEqualTo(java.time.OffsetDateTime.parse(row.getString("created_at")).toInstant());
  }

  @Test
  void aTextNoHandlerTakesIsRecordedUnroutedAndCounted() {
    double before = StoredInbound.counter(replicaA, "gateway.inbound.unrouted");

    String sid = text(NOBODYS_NUMBER);

    awaitState(sid, "unrouted");
    Await.until("the unrouted text is counted", () -> StoredInbound.counter(replicaA, "gateway.inbound.unrouted") >= before + 1);
    assertThat(StoredInbound.counter(replicaA, "gateway.inbound.unrouted")).isEqualTo(before + 1);
    assertThat(broken.offersOf(sid)).hasSize(1);
  }

  @Test
  void aHandlerThatFailsOnceGetsTheTextAgainFromTheSweep() {
    double failuresBefore = bothReplicas("gateway.inbound.dispatch.failures", "handler", "test_flaky");
    flaky.failNext(1);

    String sid = text(FLAKY_NUMBER);

    awaitState(sid, "dispatched");
    assertThat(flaky.offersOf(sid)).hasSize(2);
    assertThat(StoredInbound.row(replicaA, sid).orElseThrow().getInteger("dispatch_attempts")).isEqualTo(2);
    assertThat(bothReplicas("gateway.inbound.dispatch.failures", "handler", "test_flaky")).isEqualTo(failuresBefore + 1);
  }

  @Test
  void aTextWhoseHandlerKeepsFailingIsAbandonedAfterTheLastAttempt() {
    broken.failNext(1_000);
    double before = bothReplicas("gateway.inbound.dispatch.abandoned");

    String sid = text(BROKEN_NUMBER);

    awaitState(sid, "abandoned");
    assertThat(broken.offersOf(sid)).hasSize(MAX_ATTEMPTS);
    // Counted once the outcome's commit has answered, just after the row shows it.
    Await.until("the abandoned text is counted", () -> bothReplicas("gateway.inbound.dispatch.abandoned") >= before + 1);
    assertThat(bothReplicas("gateway.inbound.dispatch.abandoned")).isEqualTo(before + 1);
  }

  @Test
  void textsLeftPendingByACrashedReplicaAreSweptAndDispatchedOnceAcrossTwoReplicas() {
    List<String> sids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      sids.add(insertPending(i % 2 == 0 ? CALL_NUMBER : CHAT_NUMBER, -1));
    }

    sids.forEach(sid -> awaitState(sid, "dispatched"));

    assertThat(sids).allSatisfy(sid -> assertThat(calls.offersOf(sid)).hasSize(1));
    assertThat(sids).allSatisfy(sid ->
        assertThat(StoredInbound.row(replicaA, sid).orElseThrow().getInteger("dispatch_attempts")).isEqualTo(2));
  }

  @Test
  void aPendingTextIsLeftToItsOwnerUntilTheLeaseEnds() {
    String sid = insertPending(CALL_NUMBER, 3600);

    String later = insertPending(CALL_NUMBER, -1);
    awaitState(later, "dispatched");

    assertThat(StoredInbound.dispatchState(replicaA, sid)).isEqualTo("pending");
    assertThat(calls.offersOf(sid)).isEmpty();
  }

  @Test
  void theBacklogGaugeCountsPendingTexts() {
    for (int i = 0; i < 3; i++) {
      insertPending(CALL_NUMBER, 3600);
    }

    Await.until("the backlog gauge shows the pending texts",
        () -> replicaB.gateway().registry().get("gateway.inbound.dispatch.backlog").gauge().value() >= 3);
  }

  @Test
  void aFailedDispatchIsOfferedAgainOnlyAfterItsRetryPause() {
    flaky.failNext(1);

    String sid = text(FLAKY_NUMBER);

    awaitState(sid, "dispatched");
    List<java.time.Instant> offeredAt = flaky.offerTimesOf(sid);
    assertThat(offeredAt).hasSize(2);
    // Equal jitter: at least half the initial pause (100ms) between the failed offer and the next one.
    assertThat(java.time.Duration.between(offeredAt.get(0), offeredAt.get(1))).isGreaterThanOrEqualTo(java.time.Duration.ofMillis(50));
  }

  @Test
  void anAdminRedeliversAbandonedTextsByIdAndTheyAreOfferedAgain() {
    String sid = abandoned(BROKEN_NUMBER);
    String id = StoredInbound.row(replicaA, sid).orElseThrow().getString("id");
    int offersBefore = broken.offersOf(sid).size();
    broken.failNext(0);

    var response = replicaA.http().postJson("/v1/inbound/redeliver", TestGateway.ADMIN_KEY,
        new JsonObject().put("message_ids", new JsonArray().add(id).add("msg_unknown")));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.bodyAsJsonObject().getInteger("redelivered")).isEqualTo(1);
    awaitState(sid, "dispatched");
    assertThat(broken.offersOf(sid)).hasSize(offersBefore + 1);
    assertThat(StoredInbound.row(replicaA, sid).orElseThrow().getInteger("dispatch_attempts")).isEqualTo(1);
  }

  @Test
  void anAdminRedeliversTheTextsAbandonedInATimeWindow() {
    java.time.Instant since = java.time.Instant.now().minusSeconds(1);
    String sid = abandoned(BROKEN_NUMBER);
    broken.failNext(0);

    var response = replicaA.http().postJson("/v1/inbound/redeliver", TestGateway.ADMIN_KEY,
        new JsonObject().put("since", since.toString()).put("until", java.time.Instant.now().plusSeconds(1).toString()));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.bodyAsJsonObject().getInteger("redelivered")).isGreaterThanOrEqualTo(1);
    awaitState(sid, "dispatched");
  }

  @Test
  void redeliveryNeedsIdsOrAWindowAndAnAdminKey() {
    assertThat(redeliverError(TestGateway.ADMIN_KEY, new JsonObject())).isEqualTo("422 invalid_field message_ids");
    assertThat(redeliverError(TestGateway.ADMIN_KEY, new JsonObject().put("message_ids", new JsonArray())))
        .isEqualTo("422 invalid_field message_ids");
    assertThat(redeliverError(TestGateway.ADMIN_KEY, new JsonObject().put("message_ids", new JsonArray().add(42))))
        .isEqualTo("422 invalid_field message_ids");
    assertThat(redeliverError(TestGateway.ADMIN_KEY, new JsonObject().put("since", "yesterday"))).isEqualTo("422 invalid_field since");
    assertThat(redeliverError(TestGateway.ADMIN_KEY, new JsonObject().put("since", "2026-12-01T08:00:00Z").put("until", "2026-12-01T07:00:00Z")))
        .isEqualTo("422 invalid_field until");
    var workspaceKey = replicaA.http().postJson("/v1/api-keys", TestGateway.ADMIN_KEY,
        new JsonObject().put("role", "workspace").put("workspace_id", "ws_redeliver")).bodyAsJsonObject().getString("key");
    var forbidden = replicaA.http().postJson("/v1/inbound/redeliver", workspaceKey, new JsonObject().put("message_ids", new JsonArray().add("x")));
    assertThat(forbidden.statusCode()).isEqualTo(403);
  }

  /** A text whose handler failed every attempt. */
  private static String abandoned(String to) {
    broken.failNext(1_000);
    String sid = text(to);
    awaitState(sid, "abandoned");
    return sid;
  }

  private static String redeliverError(String key, JsonObject body) {
    var response = replicaA.http().postJson("/v1/inbound/redeliver", key, body);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    return response.statusCode() + " " + error.getString("code") + " " + error.getString("field");
  }

  @Test
  void theInboundMetricsAreExposedOnMetrics() {
    awaitState(text(CHAT_NUMBER), "dispatched");

    String metrics = replicaA.scrapeMetrics();

    assertThat(metrics).contains(
        "gateway_inbound_received_messages_total",
        "gateway_inbound_duplicates_messages_total",
        "gateway_inbound_dispatched_messages_total{handler=\"test_chat\"}",
        "gateway_inbound_unrouted_messages_total",
        "gateway_inbound_dispatch_backlog_messages",
        "gateway_inbound_batch_size_rows_count{writer=\"ingest\"}",
        "gateway_inbound_batch_size_rows_bucket{writer=\"dispatch_outcomes\"");
  }

  @Test
  void aSweptTextIsCountedAsALeasedJobAndTheWorkMetricsAreExposed() {
    double doneBefore = bothReplicas("gateway.work.jobs", "worker", "inbound_dispatch", "outcome", "done");

    awaitState(insertPending(CHAT_NUMBER, -1), "dispatched");

    Await.until("the swept text is counted as done",
        () -> bothReplicas("gateway.work.jobs", "worker", "inbound_dispatch", "outcome", "done") == doneBefore + 1);
    String metrics = replicaA.scrapeMetrics();
    assertThat(metrics).contains(
        "gateway_work_batch_size_jobs_count{worker=\"inbound_dispatch\"}",
        "gateway_work_jobs_total{outcome=\"lease_lost\",worker=\"inbound_dispatch\"}",
        "gateway_work_failures_total{stage=\"claim\",worker=\"inbound_dispatch\"}",
        "gateway_work_job_duration_seconds_count{worker=\"inbound_dispatch\"}",
        "gateway_work_jobs_total{outcome=\"done\",worker=\"outbound_send\"}",
        "gateway_work_jobs_total{outcome=\"done\",worker=\"outbound_reconcile\"}",
        "gateway_work_jobs_total{outcome=\"done\",worker=\"outbound_status_recheck\"}");
  }
}
