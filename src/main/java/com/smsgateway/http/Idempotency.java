package com.smsgateway.http;

import com.smsgateway.auth.Principal;
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

/**
 * {@code Idempotency-Key} on mutating {@code POST /v1/**} (DESIGN.md §3): the first request with a key is
 * processed and its response kept; a repeat with the same key and body gets that response again (header
 * {@code Idempotent-Replayed: true}); the same key with another body is 409. A request that failed is not
 * kept, so the client may retry it. Keys are scoped to the caller and kept for {@code ttl}.
 */
public final class Idempotency implements Handler<RoutingContext>, Routes {
  public static final String HEADER = "Idempotency-Key";
  private static final String CLAIM_KEY = "gateway.idempotency-claim";
  private static final int MAX_KEY_LENGTH = 255;

  private static final String CLAIM = """
      INSERT INTO idempotency_keys (scope, idempotency_key, request_hash) VALUES ($1, $2, $3)
      ON CONFLICT (scope, idempotency_key) DO UPDATE
        SET request_hash = EXCLUDED.request_hash, status_code = NULL, response_body = NULL, created_at = now()
        WHERE idempotency_keys.created_at < now() - make_interval(secs => $4)
      RETURNING true AS claimed
      """;
  private static final String FIND =
      "SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2";
  private static final String COMPLETE =
      "UPDATE idempotency_keys SET status_code = $3, response_body = $4 WHERE scope = $1 AND idempotency_key = $2";
  private static final String RELEASE = "DELETE FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2";
  private static final String PURGE = "DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1)";

  private record Claim(String scope, String key, Pool pool) {}

  private final Pool pool;
  private final Duration ttl;

  public Idempotency(Pool pool, Duration ttl) {
    this.pool = pool;
    this.ttl = ttl;
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
      ctx.fail(ApiError.badRequest("invalid_idempotency_key", HEADER + " must be 1-" + MAX_KEY_LENGTH + " characters."));
      return;
    }
    Principal principal = Principal.of(ctx);
    Claim claim = new Claim(principal.isAdmin() ? "admin" : "ws:" + principal.workspaceId(), key, pool);
    byte[] hash = requestHash(ctx);
    pool.preparedQuery(CLAIM).execute(Tuple.of(claim.scope(), key, Buffer.buffer(hash), (double) ttl.toSeconds()))
        .compose(claimed -> claimed.size() > 0 ? Future.succeededFuture(Optional.<Row>empty()) : existing(claim))
        .onSuccess(previous -> {
          if (previous.isEmpty()) {
            ctx.put(CLAIM_KEY, claim);
            ctx.addEndHandler(ended -> releaseIfUnanswered(ctx, claim));
            ctx.next();
          } else {
            replay(ctx, previous.get(), hash);
          }
        })
        .onFailure(ctx::fail);
  }

  /**
   * Called by {@link Json#respond} before a success is sent: the response of a claimed request is kept. If
   * keeping fails the claim stays, and the end handler releases it so the client may retry.
   */
  static Future<Void> keep(RoutingContext ctx, int status, Buffer body) {
    Claim claim = ctx.get(CLAIM_KEY);
    if (claim == null || status >= 400) {
      return Future.succeededFuture();
    }
    return claim.pool().preparedQuery(COMPLETE)
        .execute(Tuple.of(claim.scope(), claim.key(), status, body.toString()))
        .onSuccess(kept -> ctx.remove(CLAIM_KEY))
        .mapEmpty();
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
      ctx.fail(ApiError.conflict("idempotency_key_reused", "This " + HEADER + " was used with another request; use a new key."));
    } else if (previous.getInteger("status_code") == null) {
      ctx.fail(ApiError.conflict("idempotency_key_in_progress", "The first request with this " + HEADER + " is still being processed; retry shortly."));
    } else {
      ctx.response()
          .setStatusCode(previous.getInteger("status_code"))
          .putHeader("Content-Type", "application/json")
          .putHeader("Idempotent-Replayed", "true")
          .end(previous.getString("response_body"));
    }
  }

  /** A claimed request that ended without a kept response (it failed, or answered without a JSON body): forget the key. */
  private void releaseIfUnanswered(RoutingContext ctx, Claim claim) {
    if (ctx.get(CLAIM_KEY) != null) {
      pool.preparedQuery(RELEASE).execute(Tuple.of(claim.scope(), claim.key()));
    }
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
