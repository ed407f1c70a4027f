package com.smsgateway.http;

import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * The request an {@code Idempotency-Key} stands for: {@link Idempotency} holds its claim's {@code request_ref} on the
 * routing context. A claim taken over from a replica that died keeps its ref, so the retry derives the same ids for
 * what it creates as the run that died: a text that run committed is found by its id instead of being stored and sent
 * a second time.
 */
public final class IdempotentRequests {
  private static final String KEY = "sms-gateway.idempotent-request";

  /** A request's ref and how many ids it has derived so far (a request that stores two texts derives two ids). */
  private static final class Held {
    private final UUID ref;
    private int derived;

    Held(UUID ref) {
      this.ref = ref;
    }
  }

  private IdempotentRequests() {}

  static void hold(RoutingContext ctx, UUID ref) {
    ctx.put(KEY, new Held(ref));
  }

  /**
   * The id ({@code prefix} + 32 hex digits) for the next thing {@code ctx}'s request creates: derived from its
   * {@code Idempotency-Key}'s request, so the same when a retry runs the request again after a crash (things created in
   * the same order); empty for a request without a key.
   */
  public static Optional<String> nextDerivedId(RoutingContext ctx, String prefix) {
    Held held = ctx.get(KEY);
    if (held == null) {
      return Optional.empty();
    }
    synchronized (held) {
      return Optional.of(derivedId(prefix, held.ref, held.derived++));
    }
  }

  /** The {@code n}-th id (from 0) a request with {@code ref} derives. */
  static String derivedId(String prefix, UUID ref, int n) {
    UUID derived = UUID.nameUUIDFromBytes((ref + "/" + n).getBytes(StandardCharsets.UTF_8));
    return prefix + derived.toString().replace("-", "");
  }
}
