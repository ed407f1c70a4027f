package com.smsgateway.calls;

import com.smsgateway.domain.DomainFailure;
import com.smsgateway.numbers.SmsNumberStore;
import com.smsgateway.redis.RedisScript;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool number of a call: chosen at its first pool SMS, then the same for every SMS of the call from any
 * replica, released when the call ends or expires. One Redis round trip ({@code pool_pin.lua}) returns the pin or
 * makes it; later SMS find it in the call's hash and need none.
 *
 * <p>Calls are spread over the pool at random (the candidates are shuffled per pin). "In use" is never a counter
 * that a missed release could skew: a number is in use for a customer exactly while the route key that says so
 * lives, and it expires with the call.
 */
public final class PoolPins {
  private static final Logger log = LoggerFactory.getLogger(PoolPins.class);
  private static final RedisScript PIN = RedisScript.fromClasspath("/lua/pool_pin.lua");
  private static final RedisScript CACHE_PIN = RedisScript.fromClasspath("/lua/call_cache_pin.lua");

  private final Redis redis;
  private final CallKeys keys;
  private final SmsNumberStore numbers;
  private final CallMetrics metrics;
  private final Duration reuseCooldown;
  private final CallNumbers callNumbers;

  /** @param reuseCooldown how long a pool number that texted a customer for one workspace is not pinned for them by another */
  PoolPins(Redis redis, CallKeys keys, SmsNumberStore numbers, CallMetrics metrics, Duration reuseCooldown, CallNumbers callNumbers) {
    this.callNumbers = callNumbers;
    this.redis = redis;
    this.keys = keys;
    this.numbers = numbers;
    this.metrics = metrics;
    this.reuseCooldown = reuseCooldown;
  }

  /** The call's pool number: 404 when the call has ended, 503 {@code pool_exhausted} when none is free for it. */
  public Future<String> poolNumber(Call call) {
    if (call.poolNumber() != null) {
      return Future.succeededFuture(call.poolNumber());
    }
    return numbers.poolSenders().compose(pool -> pin(call, pool));
  }

  private Future<String> pin(Call call, List<String> pool) {
    if (pool.isEmpty()) {
      return exhausted(call, "The SMS pool is empty");
    }
    List<String> candidates = new ArrayList<>(pool);
    Collections.shuffle(candidates, ThreadLocalRandom.current());
    List<String> pinKeys = new ArrayList<>(2 * candidates.size() + 1);
    pinKeys.add(keys.presence(call.customerNumber(), call.ref()));
    List<String> args = new ArrayList<>(candidates.size() + 4);
    args.add(call.ref().key());
    args.add(Long.toString(call.expiresAt().toEpochMilli()));
    args.add(CallRef.workspacePrefix(call.workspaceId()));
    args.add(Long.toString(call.expiresAt().plus(reuseCooldown).toEpochMilli()));
    for (String candidate : candidates) {
      pinKeys.add(keys.route(call.customerNumber(), candidate));
      pinKeys.add(keys.lastPoolCall(call.customerNumber(), candidate));
      args.add(candidate);
    }
    return PIN.run(redis, pinKeys, args).compose(reply -> switch (reply.get(0).toString()) {
      case "new" -> remember(call, reply.get(1).toString(), true);
      case "pinned" -> remember(call, reply.get(1).toString(), false);
      case "ended" -> Future.failedFuture(DomainFailure.notFound("Call '" + call.callId() + "'"));
      default -> reply.get(1).toInteger() > 0
          ? exhausted(call, "Every free pool number texted " + call.customerNumber() + " for another workspace within "
              + "calls.pool_reuse_cooldown")
          : exhausted(call, "Every pool number already serves another active call with " + call.customerNumber());
    });
  }

  /**
   * Copies the pin into the call's hash (so the next SMS needs no pin round trip) and, for a new pin, adds it to
   * the gauge's set. Both are conveniences: the pin itself is made, so their failure is logged, not returned.
   */
  private Future<String> remember(Call call, String number, boolean newPin) {
    Future<?> cached = CACHE_PIN.run(redis, List.of(keys.call(call.ref())), List.of(number));
    Future<?> counted = newPin
        ? redis.send(Request.cmd(Command.ZADD).arg(keys.pinsInUse()).arg(call.expiresAt().toEpochMilli()).arg(call.ref().key()))
        : Future.succeededFuture();
    Future<?> inUse = callNumbers.add(number, call.ref().key(), call.expiresAt());
    return Future.all(cached, counted, inUse)
        .onFailure(e -> log.warn("Call {} is pinned to {} but recording the pin failed: {}", call.callId(), number, e.getMessage()))
        .transform(done -> Future.succeededFuture(number));
  }

  private Future<String> exhausted(Call call, String why) {
    metrics.poolExhausted();
    return Future.failedFuture(DomainFailure.unavailable("pool_exhausted",
        why + "; no pool number can text from call '" + call.callId() + "' now. Try again after another call ends."));
  }
}
