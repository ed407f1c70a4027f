package com.smsgateway.http;

import com.smsgateway.domain.DomainFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Idempotency-Key} on mutating {@code POST /v1/**} (DESIGN.md §3), installed by {@link ApiRouter} between
 * API-key auth and the features: the first request with a key is processed and its response kept; a repeat with the
 * same key and body gets that response again (header {@code Idempotent-Replayed: true}); the same key with another
 * body is 409, and so is a repeat while the first is still being processed — also when its client has gone away,
 * since the work goes on. A request that failed (status 400 or more) is not kept, so the client may retry it. Keys are
 * scoped to the calling API key and kept for {@code ttl}.
 *
 * <p>A claim is a lease ({@code claim_until}, {@link IdempotencyConfig#inProgressTimeout}) that the replica running the
 * request renews while the request runs: a repeat is 409 for as long as the first request is at work, however long that
 * is, and the claim of a replica that died (no more renewals) may be taken over one lease after its last renewal, so a
 * client retrying after a crash gets through within seconds. A claim token fences the owner: a request whose claim was
 * taken over (its replica could not renew in time) neither renews nor completes nor releases the new owner's claim, and
 * the loss is logged and counted ({@code gateway.idempotency.claims.lost}).
 *
 * <p>The handler captures the response itself ({@link KeptResponse}): whatever a route answers, with
 * {@code ctx.json}, {@code respond} or {@link Json#respond}, is kept before it is sent. A route whose answer holds a
 * secret names it with {@link #neverKept}: the kept copy, and so every replay, goes without it.
 */
public final class Idempotency implements Handler<RoutingContext> {
  public static final String HEADER = "Idempotency-Key";
  private static final Logger log = LoggerFactory.getLogger(Idempotency.class);
  private static final String SECRET_FIELDS_KEY = "gateway.idempotency-secret-fields";
  private static final int MAX_KEY_LENGTH = 255;

  /**
   * A key is free when it was claimed longer than {@code ttl} ago (the retention purge deletes it then too), or when it
   * is unanswered and its claim ran out. A claim taken over by the previous release keeps the {@code claim_until} it had
   * (that release does not know the column), so one not later than its {@code created_at} is held for that release's
   * 2-minute in-progress timeout; this release's claims always end after their {@code created_at}. A claim taken over
   * from a replica that died keeps its {@code request_ref} (the request is the same; see {@link IdempotentRequests}); a
   * key claimed afresh after its ttl, or taken over by a request with another body, gets a new one.
   */
  private static final String CLAIM = """
      INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, claim_token, claim_until, request_ref)
      VALUES ($1, $2, $3, $4, now() + $6 * interval '1 millisecond', $4)
      ON CONFLICT (scope, idempotency_key) DO UPDATE
        SET request_hash = EXCLUDED.request_hash, claim_token = EXCLUDED.claim_token, claim_until = EXCLUDED.claim_until,
            status_code = NULL, response_body = NULL, created_at = now(),
            request_ref = CASE WHEN idempotency_keys.created_at < now() - $5 * interval '1 millisecond'
                                 OR idempotency_keys.request_ref IS NULL
                                 OR idempotency_keys.request_hash <> EXCLUDED.request_hash THEN EXCLUDED.request_ref
                               ELSE idempotency_keys.request_ref END
        WHERE idempotency_keys.created_at < now() - $5 * interval '1 millisecond'
           OR (idempotency_keys.status_code IS NULL
               AND now() > CASE WHEN idempotency_keys.claim_until > idempotency_keys.created_at THEN idempotency_keys.claim_until
                                ELSE idempotency_keys.created_at + interval '2 minutes' END)
      RETURNING request_ref
      """;
  private static final String RENEW = """
      UPDATE idempotency_keys SET claim_until = now() + $4 * interval '1 millisecond'
      WHERE scope = $1 AND idempotency_key = $2 AND claim_token = $3 AND status_code IS NULL
      """;
  private static final String FIND =
      "SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2";
  private static final String COMPLETE = """
      UPDATE idempotency_keys SET status_code = $4, response_body = $5
      WHERE scope = $1 AND idempotency_key = $2 AND claim_token = $3
      """;
  private static final String RELEASE =
      "DELETE FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2 AND claim_token = $3 AND status_code IS NULL";

  private record Claim(String scope, String key, UUID token) {
    Tuple with(Object... values) {
      Tuple tuple = Tuple.of(scope, key, token);
      for (Object value : values) {
        tuple.addValue(value);
      }
      return tuple;
    }
  }

  private final Pool pool;
  private final Function<RoutingContext, String> callerKeyId;
  private final IdempotencyConfig config;
  private final Counter claimsLost;
  private final Counter renewFailures;
  private final Counter completeFailures;
  private final Counter releaseFailures;

  /** {@code callerKeyId} names the API key of an authenticated request (the scope of its keys). */
  public Idempotency(Pool pool, Function<RoutingContext, String> callerKeyId, IdempotencyConfig config, MeterRegistry registry) {
    this.pool = pool;
    this.callerKeyId = callerKeyId;
    this.config = config;
    this.claimsLost = Counter.builder("gateway.idempotency.claims.lost")
        .description("Idempotency-Key claims taken over while their request still ran here (not renewed in time); its answer is not kept")
        .register(registry);
    this.renewFailures = failures(registry, "renew");
    this.completeFailures = failures(registry, "complete");
    this.releaseFailures = failures(registry, "release");
  }

  private static Counter failures(MeterRegistry registry, String stage) {
    return Counter.builder("gateway.idempotency.failures")
        .description("Failed Idempotency-Key claim renewals, keeping of answers and releases after failed requests, by stage")
        .tag("stage", stage)
        .register(registry);
  }

  /**
   * Top-level fields of this request's JSON answer that are never kept for a replay (e.g. a new API key's secret):
   * a replay answers the kept response without them.
   */
  public static void neverKept(RoutingContext ctx, String... fields) {
    ctx.put(SECRET_FIELDS_KEY, List.of(fields));
  }

  @Override
  public void handle(RoutingContext ctx) {
    String key = ctx.request().getHeader(HEADER);
    if (key == null) {
      ctx.next();
      return;
    }
    if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
      ctx.fail(DomainFailure.malformed("invalid_idempotency_key", HEADER + " must be 1-" + MAX_KEY_LENGTH + " characters."));
      return;
    }
    if (!(ctx.response() instanceof KeptResponse response)) {
      ctx.fail(new IllegalStateException("The request was not prepared for keeping its response (KeptResponse.capturing)"));
      return;
    }
    Claim claim = new Claim("key:" + callerKeyId.apply(ctx), key, UUID.randomUUID());
    byte[] hash = requestHash(ctx);
    claimOrFind(ctx, claim, hash, true)
        .onSuccess(previous -> {
          if (previous.isEmpty()) {
            Held held = new Held(ctx.vertx(), claim);
            response.beforeEnd((status, body) -> finish(ctx, held, status, body));
            ctx.next();
          } else {
            replay(ctx, previous.get(), hash);
          }
        })
        .onFailure(ctx::fail);
  }

  /**
   * Empty: the key is now this request's. Otherwise the row holding it. A key released or purged between the claim and
   * the look-up is claimed once more; if it is gone again, the request is refused as in progress (a retry sorts it out)
   * rather than run without a claim.
   */
  private Future<Optional<Row>> claimOrFind(RoutingContext ctx, Claim claim, byte[] hash, boolean mayRetry) {
    return pool.preparedQuery(CLAIM)
        .execute(Tuple.of(claim.scope(), claim.key(), Buffer.buffer(hash), claim.token(), config.ttl().toMillis(),
            config.inProgressTimeout().toMillis()))
        .compose(claimed -> {
          if (claimed.size() > 0) {
            IdempotentRequests.hold(ctx, claimed.iterator().next().getUUID("request_ref"));
            return Future.succeededFuture(Optional.<Row>empty());
          }
          return existing(claim).compose(previous -> previous.isPresent() ? Future.succeededFuture(previous)
              : mayRetry ? claimOrFind(ctx, claim, hash, false) : Future.failedFuture(inProgress()));
        });
  }

  /**
   * The route answered: renewing stops, a success is kept, a failure released so the client may retry. If keeping
   * fails, the work is done but unrecorded: rather than let the claim run out, when a repeat would do the work a second
   * time, the replica tries again every renewal interval (see {@link Held#keep}).
   */
  private Future<Void> finish(RoutingContext ctx, Held held, int status, Buffer body) {
    held.stop();
    if (status >= 400) {
      return pool.preparedQuery(RELEASE).execute(held.claim.with()).<Void>mapEmpty().recover(e -> {
        releaseFailures.increment();
        log.warn("Releasing Idempotency-Key of a failed request failed; it frees itself after the in-progress timeout: {}", e.toString());
        return Future.succeededFuture();
      });
    }
    return held.keep(held.claim.with(status, kept(ctx, body)));
  }

  /**
   * A claim while its request runs: renewed every {@link IdempotencyConfig#renewEvery()}, fenced by its token, until
   * the route answers. The route may answer on another thread than the event loop that renews, hence the atomics.
   */
  private final class Held {
    private final Vertx vertx;
    private final Claim claim;
    private final long renewals;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicBoolean lost = new AtomicBoolean();

    Held(Vertx vertx, Claim claim) {
      this.vertx = vertx;
      this.claim = claim;
      this.renewals = vertx.setPeriodic(config.renewEvery().toMillis(), tick -> renew());
    }

    private void renew() {
      pool.preparedQuery(RENEW).execute(claim.with(config.inProgressTimeout().toMillis())).onComplete(renewed -> {
        if (stopped.get()) {
          // The route answered meanwhile: a row kept or released no longer matches, which is no loss.
          return;
        }
        if (renewed.failed()) {
          renewFailures.increment();
          log.warn("Renewing an Idempotency-Key claim failed; trying again at the next renewal: {}", renewed.cause().toString());
        } else if (renewed.result().rowCount() == 0) {
          stop();
          lost("its answer will not be kept");
        }
      });
    }

    void stop() {
      stopped.set(true);
      vertx.cancelTimer(renewals);
    }

    /**
     * Records the answer if the claim is still this request's. A failure is retried every renewal interval, one attempt
     * at a time, for at most {@code ttl} (after which the key is free anyway); the response goes out meanwhile.
     */
    Future<Void> keep(Tuple answer) {
      return complete(answer).recover(e -> {
        log.warn("Idempotent response not kept; trying again every {}: {}", config.renewEvery(), e.toString());
        keepLater(answer, System.nanoTime() + config.ttl().toNanos());
        return Future.succeededFuture();
      });
    }

    private void keepLater(Tuple answer, long giveUpAtNanos) {
      vertx.setTimer(config.renewEvery().toMillis(), tick -> complete(answer).onFailure(e -> {
        if (System.nanoTime() - giveUpAtNanos < 0) {
          keepLater(answer, giveUpAtNanos);
        } else {
          log.warn("Idempotent response given up after trying to keep it for {}: {}", config.ttl(), e.toString());
        }
      }));
    }

    private Future<Void> complete(Tuple answer) {
      return pool.preparedQuery(COMPLETE).execute(answer)
          .onFailure(e -> completeFailures.increment())
          .map(completed -> {
            if (completed.rowCount() == 0) {
              lost("its answer is not kept");
            }
            return null;
          });
    }

    /** The claim was taken over by a repeat of the request: counted once, however it was found. */
    private void lost(String consequence) {
      if (lost.compareAndSet(false, true)) {
        claimsLost.increment();
        log.warn("The Idempotency-Key claim of a request still running here was taken over by another request (not renewed within {}); {}",
            config.inProgressTimeout(), consequence);
      }
    }
  }

  /** The body as kept: without the fields the route named as never kept. */
  private static String kept(RoutingContext ctx, Buffer body) {
    List<String> secrets = ctx.get(SECRET_FIELDS_KEY);
    if (secrets == null || body.length() == 0) {
      return body.toString(StandardCharsets.UTF_8);
    }
    JsonObject json = new JsonObject(body);
    secrets.forEach(json::remove);
    return json.encode();
  }

  private Future<Optional<Row>> existing(Claim claim) {
    return pool.preparedQuery(FIND).execute(Tuple.of(claim.scope(), claim.key()))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next()));
  }

  private static void replay(RoutingContext ctx, Row previous, byte[] hash) {
    if (!MessageDigest.isEqual(previous.getBuffer("request_hash").getBytes(), hash)) {
      ctx.fail(DomainFailure.conflict("idempotency_key_reused", "This " + HEADER + " was used with another request; use a new key."));
    } else if (previous.getInteger("status_code") == null) {
      ctx.fail(inProgress());
    } else {
      ctx.response()
          .setStatusCode(previous.getInteger("status_code"))
          .putHeader("Content-Type", "application/json")
          .putHeader("Idempotent-Replayed", "true")
          .end(previous.getString("response_body"));
    }
  }

  private static DomainFailure inProgress() {
    return DomainFailure.conflict("idempotency_key_in_progress", "The first request with this " + HEADER + " is still being processed; retry shortly.");
  }

  private static byte[] requestHash(RoutingContext ctx) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update((ctx.request().method().name() + " " + ctx.request().path() + "\n").getBytes(StandardCharsets.UTF_8));
      if (ctx.body() != null && ctx.body().buffer() != null) {
        digest.update(ctx.body().buffer().getBytes());
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
