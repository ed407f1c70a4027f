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
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An {@code Idempotency-Key} claim is a lease its replica renews while the request runs: a crashed replica's claim is
 * taken over once it runs out (seconds, not minutes), a live request keeps its claim however long it takes, and a
 * request whose claim was taken over neither renews nor completes the new owner's claim.
 */
class IdempotencyClaimTest {
  /** The lease under test: short, so a claim that is not renewed runs out within the test; long enough for a loaded machine. */
  private static final long LEASE_MILLIS = 3_000;

  /** Runs of the test route per Idempotency-Key, and the gate each run waits for before it answers. */
  private static final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  private static final Map<String, Promise<Void>> gates = new ConcurrentHashMap<>();
  private static final Routes gatedRoute = router -> router.post("/v1/test/gated").handler(ctx -> {
    String key = ctx.request().getHeader(Idempotency.HEADER);
    runs.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    gate(key).future().onSuccess(v -> Json.respond(ctx, 200, new JsonObject().put("key", key)));
  });

  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(IdempotencyClaimTest.class, gatedRoute)
      .with("GATEWAY_IDEMPOTENCY_IN_PROGRESS_TIMEOUT", LEASE_MILLIS + "ms")
      // The lease must outlast a renewal that waits the whole statement timeout (checked at start).
      .with("GATEWAY_PG_STATEMENT_TIMEOUT", "1s"));

  @Test
  void theClaimOfACrashedReplicaIsTakenOverOnceItsLeaseRunsOutAndTheRetryRunsOnce() {
    Row probe = answeredProbe();
    String key = UUID.randomUUID().toString();
    gate(key).complete();
    // What a replica killed right after renewing leaves: a fresh claim (the old rule held it two minutes from
    // created_at), unanswered, held one lease from now and never renewed again.
    execute("INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, claim_token, claim_until)"
        + " VALUES ($1, $2, $3, $4, now() + $5 * interval '1 millisecond')",
        Tuple.of(probe.getString("scope"), key, probe.getBuffer("request_hash"), UUID.randomUUID(), LEASE_MILLIS));

    // Await gives up after a minute: under the old rule no retry would get through before two.
    AtomicReference<HttpResponse<Buffer>> retried = new AtomicReference<>();
    Await.until("a retry gets through", () -> {
      retried.set(Http.send(gated(key), null));
      if (retried.get().statusCode() == 409) {
        assertThat(errorCode(retried.get())).isEqualTo("idempotency_key_in_progress");
        return false;
      }
      return true;
    });

    assertThat(retried.get().statusCode()).isEqualTo(200);
    assertThat(retried.get().getHeader("Idempotent-Replayed")).isNull();
    assertThat(runs.get(key).get()).isEqualTo(1);
    var repeat = Http.send(gated(key), null);
    assertThat(repeat.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(runs.get(key).get()).isEqualTo(1);
  }

  @Test
  void aClaimWhoseLeaseRanOutIsTakenOverAtOnce() {
    Row probe = answeredProbe();
    String key = UUID.randomUUID().toString();
    gate(key).complete();
    // Claimed a few seconds ago and renewed until a moment ago, when its replica died.
    execute("INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, claim_token, created_at, claim_until)"
        + " VALUES ($1, $2, $3, $4, now() - interval '5 seconds', now() - interval '1 millisecond')",
        Tuple.of(probe.getString("scope"), key, probe.getBuffer("request_hash"), UUID.randomUUID()));

    var retried = Http.send(gated(key), null);

    assertThat(retried.statusCode()).isEqualTo(200);
    assertThat(runs.get(key).get()).isEqualTo(1);
  }

  @Test
  void aClaimTakenOverByThePreviousReleaseIsHeldForThatReleasesTimeout() {
    Row probe = answeredProbe();
    String key = UUID.randomUUID().toString();
    gate(key).complete();
    // The previous release takes a claim over without touching claim_until: it stays what it was, before created_at.
    execute("INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, claim_token, claim_until)"
        + " VALUES ($1, $2, $3, $4, now() - interval '1 hour')",
        Tuple.of(probe.getString("scope"), key, probe.getBuffer("request_hash"), UUID.randomUUID()));

    var retried = Http.send(gated(key), null);

    assertThat(retried.statusCode()).isEqualTo(409);
    assertThat(errorCode(retried)).isEqualTo("idempotency_key_in_progress");
    assertThat(runs.get(key)).isNull();
  }

  @Test
  void aRequestRunningLongerThanTheLeaseKeepsItsClaimAndRunsOnce() {
    String key = UUID.randomUUID().toString();
    double lostBefore = claimsLost();
    Future<HttpResponse<Buffer>> first = gated(key).send();
    Await.until("the first request runs", () -> runs.containsKey(key));
    OffsetDateTime firstClaimUntil = claimUntil(key);

    // Repeats are refused until the first claim would have run out twice over without renewals (PostgreSQL's clock).
    Await.until("two leases passed", () -> {
      var repeat = Http.send(gated(key), null);
      assertThat(repeat.statusCode()).isEqualTo(409);
      assertThat(errorCode(repeat)).isEqualTo("idempotency_key_in_progress");
      return Await.result(running.gateway().pg().preparedQuery("SELECT now() > $1::timestamptz + $2 * interval '1 millisecond' AS past")
          .execute(Tuple.of(firstClaimUntil, LEASE_MILLIS))).iterator().next().getBoolean("past");
    });
    assertThat(claimUntil(key)).as("renewed").isAfter(firstClaimUntil);
    gate(key).complete();

    assertThat(Await.result(first).statusCode()).isEqualTo(200);
    var repeat = Http.send(gated(key), null);
    assertThat(repeat.statusCode()).isEqualTo(200);
    assertThat(repeat.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(runs.get(key).get()).isEqualTo(1);
    assertThat(claimsLost()).isEqualTo(lostBefore);
  }

  @Test
  void aRequestWhoseClaimWasTakenOverNeitherRenewsNorCompletesIt() {
    String key = UUID.randomUUID().toString();
    double lostBefore = claimsLost();
    Future<HttpResponse<Buffer>> first = gated(key).send();
    Await.until("the first request runs", () -> runs.containsKey(key));
    // Another request took the claim over (as if this replica had not renewed in time).
    Row takenOver = Await.result(running.gateway().pg().preparedQuery(
        "UPDATE idempotency_keys SET claim_token = $2, claim_until = now() + interval '1 hour' WHERE idempotency_key = $1"
            + " RETURNING claim_token, claim_until").execute(Tuple.of(key, UUID.randomUUID()))).iterator().next();

    Await.until("the first request's replica finds its claim lost", () -> claimsLost() > lostBefore);
    gate(key).complete();
    assertThat(Await.result(first).statusCode()).as("the client still gets its answer").isEqualTo(200);

    Row row = Await.result(running.gateway().pg().preparedQuery(
        "SELECT claim_token, claim_until, status_code FROM idempotency_keys WHERE idempotency_key = $1").execute(Tuple.of(key))).iterator().next();
    assertThat(row.getUUID("claim_token")).isEqualTo(takenOver.getUUID("claim_token"));
    assertThat(row.getOffsetDateTime("claim_until")).as("not renewed by the old owner").isEqualTo(takenOver.getOffsetDateTime("claim_until"));
    assertThat(row.getInteger("status_code")).as("not completed by the old owner").isNull();
    assertThat(claimsLost()).as("one claim, counted once").isEqualTo(lostBefore + 1);
    var repeat = Http.send(gated(key), null);
    assertThat(repeat.statusCode()).isEqualTo(409);
    assertThat(errorCode(repeat)).isEqualTo("idempotency_key_in_progress");
  }

  @Test
  void anAnswerThatCouldNotBeKeptAtFirstIsKeptLaterSoARepeatIsReplayedNotRunAgain() {
    // PostgreSQL refuses to record the answer of the keys listed in refused_answers, until they are removed from it.
    execute("CREATE TABLE IF NOT EXISTS refused_answers (idempotency_key text PRIMARY KEY)", Tuple.tuple());
    execute("""
        CREATE OR REPLACE FUNCTION refuse_answer() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.status_code IS NOT NULL AND EXISTS (SELECT 1 FROM refused_answers WHERE idempotency_key = NEW.idempotency_key) THEN
            RAISE EXCEPTION 'answer refused by the test';
          END IF;
          RETURN NEW;
        END $$""", Tuple.tuple());
    execute("CREATE OR REPLACE TRIGGER refuse_answer BEFORE UPDATE ON idempotency_keys FOR EACH ROW EXECUTE FUNCTION refuse_answer()", Tuple.tuple());
    String key = UUID.randomUUID().toString();
    execute("INSERT INTO refused_answers VALUES ($1)", Tuple.of(key));
    double failuresBefore = completeFailures();
    gate(key).complete();

    var first = Http.send(gated(key), null);
    assertThat(first.statusCode()).as("the client gets its answer though it is not kept yet").isEqualTo(200);
    assertThat(completeFailures()).isGreaterThan(failuresBefore);
    execute("DELETE FROM refused_answers WHERE idempotency_key = $1", Tuple.of(key));

    Await.until("the answer is kept", () -> Await.result(running.gateway().pg()
        .preparedQuery("SELECT status_code FROM idempotency_keys WHERE idempotency_key = $1").execute(Tuple.of(key)))
        .iterator().next().getInteger("status_code") != null);
    var repeat = Http.send(gated(key), null);
    assertThat(repeat.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(runs.get(key).get()).isEqualTo(1);
  }

  private static Promise<Void> gate(String key) {
    return gates.computeIfAbsent(key, k -> Promise.promise());
  }

  /** A request answered at once, for the scope of the test's API key and the hash of a request to the gated route. */
  private static Row answeredProbe() {
    String key = UUID.randomUUID().toString();
    gate(key).complete();
    assertThat(Http.send(gated(key), null).statusCode()).isEqualTo(200);
    return Await.result(running.gateway().pg().preparedQuery("SELECT scope, request_hash FROM idempotency_keys WHERE idempotency_key = $1")
        .execute(Tuple.of(key))).iterator().next();
  }

  private static HttpRequest<Buffer> gated(String idempotencyKey) {
    return running.http().request(HttpMethod.POST, "/v1/test/gated")
        .putHeader("Authorization", "Bearer " + TestGateway.ADMIN_KEY)
        .putHeader(Idempotency.HEADER, idempotencyKey);
  }

  private static String errorCode(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error").getString("code");
  }

  private static OffsetDateTime claimUntil(String key) {
    return Await.result(running.gateway().pg().preparedQuery("SELECT claim_until FROM idempotency_keys WHERE idempotency_key = $1")
        .execute(Tuple.of(key))).iterator().next().getOffsetDateTime("claim_until");
  }

  private static double completeFailures() {
    return running.gateway().registry().counter("gateway.idempotency.failures", "stage", "complete").count();
  }

  private static double claimsLost() {
    return running.gateway().registry().counter("gateway.idempotency.claims.lost").count();
  }

  private static void execute(String sql, Tuple args) {
    Await.result(running.gateway().pg().preparedQuery(sql).execute(args));
  }
}
