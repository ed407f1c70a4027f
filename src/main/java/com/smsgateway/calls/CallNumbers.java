package com.smsgateway.calls;

import com.smsgateway.numbers.ActiveCallNumbers;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Instant;

/**
 * Which calls use a number: per number a sorted set of call ids scored by each call's expiry (unix ms), written when a
 * call is registered (its agent number) and when a pool number is pinned, trimmed when the call ends. A call that
 * expires without an end leaves its member behind until the key itself expires, so "in use" counts only members whose
 * expiry is still ahead.
 */
final class CallNumbers implements ActiveCallNumbers {
  private final Redis redis;
  private final CallKeys keys;
  private final Clock clock;

  CallNumbers(Redis redis, CallKeys keys, Clock clock) {
    this.redis = redis;
    this.keys = keys;
    this.clock = clock;
  }

  Future<Void> add(String number, String callId, Instant expiresAt) {
    String key = keys.numberCalls(number);
    long expiry = expiresAt.toEpochMilli();
    // Every call lives calls.max_duration, so the latest registered call expires last: its expiry is the key's.
    return redis.send(Request.cmd(Command.ZADD).arg(key).arg(expiry).arg(callId))
        .compose(added -> redis.send(Request.cmd(Command.PEXPIREAT).arg(key).arg(expiry)))
        .mapEmpty();
  }

  Future<Void> remove(String number, String callId) {
    return redis.send(Request.cmd(Command.ZREM).arg(keys.numberCalls(number)).arg(callId)).mapEmpty();
  }

  @Override
  public Future<Boolean> inActiveCall(String phoneNumber) {
    return redis.send(Request.cmd(Command.ZCOUNT).arg(keys.numberCalls(phoneNumber)).arg("(" + clock.millis()).arg("+inf"))
        .map(count -> count != null && count.toLong() > 0);
  }
}
