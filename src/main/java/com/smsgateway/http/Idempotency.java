package com.smsgateway.http;

import com.smsgateway.auth.Principal;
import com.smsgateway.domain.DomainFailure;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.LoggerFactory;

/**
 * {@code Idempotency-Key} on mutating {@code POST /v1/**} (DESIGN.md §3): the first request with a key is
 * processed and its response kept; a repeat with the same key and body gets that response again (header
 * {@code Idempotent-Replayed: true}); the same key with another body is 409, and so is a repeat while the first
 * is still being processed — also when its client has gone away, since the work goes on. A request that failed
 * is not kept, so the client may retry it. A claim left by a crashed replica may be taken over after
 * {@code inProgressTimeout}; a claim token makes sure only its owner completes or releases it. Keys are scoped
 * to the caller and kept for {@code ttl}.
 */
public final class Idempotency implements Handler<RoutingContext>, Routes {
  public static final String HEADER = "Idempotency-Key";
  private static final String CLAIM_KEY = "gateway.idempotency-claim";
  private static final int MAX_KEY_LENGTH = 255;

  private static final String CLAIM = """
      INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, claim_token) VALUES ($1, $2, $3, $4)
      ON CONFLICT (scope, idempotency_key) DO UPDATE
        SET request_hash = EXCLUDED.request_hash, claim_token = EXCLUDED.claim_token,
            status_code = NULL, response_body = NULL, created_at = now()
        WHERE idempotency_keys.created_at < now() - make_interval(secs => $5)
           OR (idempotency_keys.status_code IS NULL AND idempotency_keys.created_at < now() - make_interval(secs => $6))
      RETURNING true AS claimed
      """;
  private static final String FIND =
      "SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2";
  private static final String COMPLETE = """
      UPDATE idempotency_keys SET status_code = $4, response_body = $5
      WHERE scope = $1 AND idempotency_key = $2 AND claim_token = $3
      """;
  private static final String RELEASE =
      "DELETE FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2 AND claim_token = $3 AND status_code IS NULL";
  private static final String PURGE = "DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1)";

  private record Claim(String scope, String key, UUID token, Pool pool) {
    Tuple with(Object... values) {
      Tuple tuple = Tuple.of(scope, key, token);
      for (Object value : values) {
        tuple.addValue(value);
      }
      return tuple;
    }
  }

  private final Pool pool;
  private final Duration ttl;
  private final Duration inProgressTimeout;

  /** {@code inProgressTimeout} must outlast any request, so only a crashed replica's claim is taken over. */
  public Idempotency(Pool pool, Duration ttl, Duration inProgressTimeout) {
    this.pool = pool;
    this.ttl = ttl;
    this.inProgressTimeout = inProgressTimeout;
  }

  /** Mounted before the features' routes (after API-key auth), so it wraps every mutating POST under /v1. */
  @Override
  public void mount(io.vertx.ext.web.Router router) {
    router.post("/v1/*").handler(this);
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
    Principal principal = Principal.of(ctx);
    Claim claim = new Claim(principal.isAdmin() ? "admin" : "ws:" + principal.workspaceId(), key, UUID.randomUUID(), pool);
    byte[] hash = requestHash(ctx);
    pool.preparedQuery(CLAIM)
        .execute(Tuple.of(claim.scope(), key, Buffer.buffer(hash), claim.token(), (double) ttl.toSeconds(),
            (double) inProgressTimeout.toSeconds()))
        .compose(claimed -> claimed.size() > 0 ? Future.succeededFuture(Optional.<Row>empty()) : existing(claim))
        .onSuccess(previous -> {
          if (previous.isEmpty()) {
            ctx.put(CLAIM_KEY, claim);
            ctx.addEndHandler(ended -> keepAnsweredWithoutBody(ctx, ended.succeeded()));
            ctx.next();
          } else {
            replay(ctx, previous.get(), hash);
          }
        })
        .onFailure(ctx::fail);
  }

  /**
   * Called by {@link Json#respond} before a success is sent: the response of a claimed request is kept. If
   * keeping fails, the work is done but unrecorded: the claim stays in progress (repeats are 409) until
   * {@code inProgressTimeout}, rather than being released for a repeat that would do the work twice.
   */
  static Future<Void> keep(RoutingContext ctx, int status, Buffer body) {
    Claim claim = ctx.remove(CLAIM_KEY);
    if (claim == null) {
      return Future.succeededFuture();
    }
    return status >= 400 ? release(claim) : claim.pool().preparedQuery(COMPLETE).execute(claim.with(status, body.toString())).mapEmpty();
  }

  /** Called by {@link ErrorHandler} for every failure: a failed request is forgotten, so the client may retry it. */
  static void releaseFailed(RoutingContext ctx) {
    Claim claim = ctx.remove(CLAIM_KEY);
    if (claim != null) {
      release(claim).onFailure(e -> LoggerFactory.getLogger(Idempotency.class)
          .warn("Releasing Idempotency-Key of a failed request failed; it frees itself after the in-progress timeout: {}", e.toString()));
    }
  }

  public Future<Integer> purgeExpired() {
    return pool.preparedQuery(PURGE).execute(Tuple.of((double) ttl.toSeconds())).map(rows -> rows.rowCount());
  }

  private Future<Optional<Row>> existing(Claim claim) {
    return pool.preparedQuery(FIND).execute(Tuple.of(claim.scope(), claim.key()))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next()));
  }

  private static void replay(RoutingContext ctx, Row previous, byte[] hash) {
    if (!MessageDigest.isEqual(previous.getBuffer("request_hash").getBytes(), hash)) {
      ctx.fail(DomainFailure.conflict("idempotency_key_reused", "This " + HEADER + " was used with another request; use a new key."));
    } else if (previous.getInteger("status_code") == null) {
      ctx.fail(DomainFailure.conflict("idempotency_key_in_progress", "The first request with this " + HEADER + " is still being processed; retry shortly."));
    } else {
      ctx.response()
          .setStatusCode(previous.getInteger("status_code"))
          .putHeader("Content-Type", "application/json")
          .putHeader("Idempotent-Replayed", "true")
          .end(previous.getString("response_body"));
    }
  }

  /**
   * A claimed request whose response went out without {@link Json#respond} (e.g. 204): its status is kept. When the
   * client went away first ({@code answered} false) the claim is left alone: the work goes on, and
   * {@link #keep} or {@link #releaseFailed} finishes the claim.
   */
  private static void keepAnsweredWithoutBody(RoutingContext ctx, boolean answered) {
    if (answered && ctx.get(CLAIM_KEY) != null) {
      keep(ctx, ctx.response().getStatusCode(), Buffer.buffer());
    }
  }

  private static Future<Void> release(Claim claim) {
    return claim.pool().preparedQuery(RELEASE).execute(claim.with()).mapEmpty();
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
