package com.smsgateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.messages.MessageStore;
import com.smsgateway.messages.MessageStore.OutboxClaim;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.RunningGateway;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fair sending: one workspace's bulk does not hold back another workspace's texts, and a workspace's in-call texts go
 * before its bulk. The texts are queued in SQL (no replica is woken) and the sender polls once an hour, so only the
 * claims these tests make take them.
 */
class FairClaimTest {
  /** $5 texts of workspace $2 (NULL: none) on call $3 (NULL: bulk), the g-th due at $4 ms from now plus g ms (a text due
   * "now" is queued a second in the past: a claim starting within the same millisecond would not find it due yet). */
  private static final String QUEUE = """
      INSERT INTO messages (id, direction, account_sid, workspace_id, from_number, to_number, body, num_segments, encoding,
                            status, sender_kind, call_id, next_attempt_at)
      SELECT $1 || lpad(g::text, 6, '0'), 'outbound', 'AC00000000000000000000000000000000', $2, '+14155550600', '+14155550700',
             'fair', 1, 'GSM-7', 'queued', CASE WHEN $3::text IS NULL THEN 'platform' ELSE 'pool' END, $3,
             now() + $4 * interval '1 millisecond' + g * interval '1 millisecond'
      FROM generate_series(1, $5) g
      """;
  private static final Duration LEASE = Duration.ofMinutes(2);

  @RegisterExtension
  static final RunningGateway running = new RunningGateway(OutboundTesting.quickGateway(FairClaimTest.class)
      .with("GATEWAY_OUTBOUND_POLL_INTERVAL", "1h"));

  @BeforeEach
  void noQueuedTexts() {
    Await.result(running.gateway().pg().query("DELETE FROM messages").execute());
  }

  @Test
  void aTextOfAnotherWorkspaceGoesInTheNextBatchBehindTwentyThousandOfOne() {
    int batchSize = configuredBatchSize();
    queue("a_bulk_", "ws_a", null, -3_600_000, 20_000);
    queue("b_", "ws_b", null, -1_000, 1);
    queue("none_", null, null, -1_000, 1);
    queue("d_later_", "ws_d", null, 60_000, 1);

    List<String> batch = ids(claim(batchSize));

    assertThat(batch).hasSize(batchSize).contains("b_000001", "none_000001").doesNotContain("d_later_000001");
    assertThat(batch.stream().filter(id -> id.startsWith("a_bulk_"))).hasSize(batchSize - 2);
  }

  @Test
  void anInCallTextGoesBeforeItsWorkspacesBulk() {
    int batchSize = configuredBatchSize();
    queue("a_bulk_", "ws_a", null, -60_000, 10 * batchSize);
    queue("a_call_", "ws_a", "call_1", -1_000, 1);

    List<String> batch = ids(claim(batchSize));

    assertThat(batch).hasSize(batchSize).contains("a_call_000001");
  }

  @Test
  void workspacesTakeTurnsAndEachOnesTextsGoInDueOrder() {
    queue("a_", "ws_a", null, -60_000, 40);
    queue("b_", "ws_b", null, -120_000, 40);
    List<String> dueOrderA = new ArrayList<>();
    List<String> dueOrderB = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      dueOrderA.add("a_%06d".formatted(i));
      dueOrderB.add("b_%06d".formatted(i));
    }

    List<String> claimedA = new ArrayList<>();
    List<String> claimedB = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      List<String> batch = ids(claim(20));
      List<String> ofA = batch.stream().filter(id -> id.startsWith("a_")).toList();
      List<String> ofB = batch.stream().filter(id -> id.startsWith("b_")).toList();
      // Within a batch the rows come back in no particular order; across batches each workspace's go oldest first.
      assertThat(ofA).as("round %d", round).hasSize(10).containsExactlyInAnyOrderElementsOf(dueOrderA.subList(claimedA.size(), claimedA.size() + 10));
      assertThat(ofB).as("round %d", round).hasSize(10).containsExactlyInAnyOrderElementsOf(dueOrderB.subList(claimedB.size(), claimedB.size() + 10));
      claimedA.addAll(ofA);
      claimedB.addAll(ofB);
    }
    assertThat(ids(claim(20))).isEmpty();
  }

  @Test
  void twoConcurrentClaimsNeverTakeTheSameText() {
    queue("a_", "ws_a", null, -60_000, 300);
    queue("b_", "ws_b", null, -60_000, 150);
    queue("none_", null, null, -60_000, 50);

    List<String> claimed = new ArrayList<>();
    boolean more = true;
    while (more) {
      List<List<OutboxClaim>> batches = Await.result(Future.all(claim(16), claim(16)).map(all -> all.<List<OutboxClaim>>list()));
      batches.forEach(batch -> claimed.addAll(ids(batch)));
      more = batches.stream().anyMatch(batch -> !batch.isEmpty());
    }

    assertThat(claimed).hasSize(500).doesNotHaveDuplicates();
    assertThat(queuedLeft()).isZero();
  }

  private static int configuredBatchSize() {
    return OutboundConfig.from(running.gateway().config().source(), running.gateway().services().twilioConfig()).batchSize();
  }

  private static void queue(String idPrefix, String workspaceId, String callId, long dueInMillis, int count) {
    Await.result(running.gateway().pg().preparedQuery(QUEUE).execute(Tuple.of(idPrefix, workspaceId, callId, dueInMillis, count)));
  }

  private static Future<List<OutboxClaim>> claim(int limit) {
    MessageStore store = running.gateway().services().messages();
    return store.claimDue("fair-claim-test", limit, LEASE);
  }

  private static List<String> ids(Future<List<OutboxClaim>> claim) {
    return ids(Await.result(claim));
  }

  private static List<String> ids(List<OutboxClaim> claims) {
    return claims.stream().map(OutboxClaim::id).toList();
  }

  private static long queuedLeft() {
    var rows = Await.result(running.gateway().pg().query("SELECT count(*) AS n FROM messages WHERE status = 'queued'").execute());
    return StreamSupport.stream(rows.spliterator(), false).map((Row row) -> row.getLong("n")).findFirst().orElseThrow();
  }
}
