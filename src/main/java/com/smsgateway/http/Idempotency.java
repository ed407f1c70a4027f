package com.smsgateway.http;

import com.smsgateway.domain.DomainFailure;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Idempotency-Key} on mutating {@code POST /v1/**} (DESIGN.md §3), installed by {@link ApiRouter} between
 * API-key auth and the features: the first request with a key is processed and its response kept; a repeat with the
 * same key and body gets that response again (header {@code Idempotent-Replayed: true}); the same key with another
 * body is 409, and so is a repeat while the first is still being processed — also when its client has gone away,
 * since the work goes on. A request that failed (status 400 or more) is not kept, so the client may retry it. A claim
 * left by a crashed replica may be taken over after {@code inProgressTimeout}; a claim token makes sure only its owner
 * completes or releases it. Keys are scoped to the calling API key and kept for {@code ttl}.
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

  private static final String CLAIM = """
      INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, claim_token) VALUES ($1, $2, $3, $4)
      ON CONFLICT (scope, idempotency_key) DO UPDATE
        SET request_hash = EXCLUDED.request_hash, claim_token = EXCLUDED.claim_token,
            status_code = NULL, response_body = NULL, created_at = now()
        WHERE idempotency_keys.created_at < now() - $5 * interval '1 millisecond'
           OR (idempotency_keys.status_code IS NULL AND idempotency_keys.created_at < now() - $6 * interval '1 millisecond')
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
  private final Duration ttl;
  private final Duration inProgressTimeout;

  /**
   * {@code callerKeyId} names the API key of an authenticated request (the scope of its keys); {@code inProgressTimeout}
   * must outlast any request, so only a crashed replica's claim is taken over.
   */
  public Idempotency(Pool pool, Function<RoutingContext, String> callerKeyId, Duration ttl, Duration inProgressTimeout) {
    this.pool = pool;
    this.callerKeyId = callerKeyId;
    this.ttl = ttl;
    this.inProgressTimeout = inProgressTimeout;
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
    pool.preparedQuery(CLAIM)
        .execute(Tuple.of(claim.scope(), key, Buffer.buffer(hash), claim.token(), ttl.toMillis(), inProgressTimeout.toMillis()))
        .compose(claimed -> claimed.size() > 0 ? Future.succeededFuture(Optional.<Row>empty()) : existing(claim))
        .onSuccess(previous -> {
          if (previous.isEmpty()) {
            response.beforeEnd((status, body) -> finish(ctx, claim, status, body));
            ctx.next();
          } else {
            replay(ctx, previous.get(), hash);
          }
        })
        .onFailure(ctx::fail);
  }

  /**
   * The route answered: a success is kept, a failure released so the client may retry. If keeping fails, the work is
   * done but unrecorded: the claim stays in progress (repeats are 409) until {@code inProgressTimeout}, rather than
   * being released for a repeat that would do the work twice.
   */
  private Future<Void> finish(RoutingContext ctx, Claim claim, int status, Buffer body) {
    if (status >= 400) {
      return pool.preparedQuery(RELEASE).execute(claim.with()).<Void>mapEmpty().recover(e -> {
        log.warn("Releasing Idempotency-Key of a failed request failed; it frees itself after the in-progress timeout: {}", e.toString());
        return Future.succeededFuture();
      });
    }
    return pool.preparedQuery(COMPLETE).execute(claim.with(status, kept(ctx, body))).<Void>mapEmpty().recover(e -> {
      log.warn("Idempotent response not kept: {}", e.toString());
      return Future.succeededFuture();
    });
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
      ctx.fail(DomainFailure.conflict("idempotency_key_in_progress", "The first request with this " + HEADER + " is still being processed; retry shortly."));
    } else {
      ctx.response()
          .setStatusCode(previous.getInteger("status_code"))
          .putHeader("Content-Type", "application/json")
          .putHeader("Idempotent-Replayed", "true")
          .end(previous.getString("response_body"));
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
