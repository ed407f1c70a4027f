package com.smsgateway.calls;

import com.smsgateway.numbers.SmsNumberStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes the pool and call-session backlog gauges of {@link CallMetrics} every {@code calls.gauge_refresh}: gauges are read synchronously,
 * PostgreSQL and Redis are not. Pins in use are the calls in {@code calls:pins} whose expiry is still ahead, so a call
 * that expired without being ended stops counting on time; entries past their expiry are dropped here.
 */
final class PoolGaugesVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(PoolGaugesVerticle.class);

  private final SmsNumberStore numbers;
  private final CallSessionDeliveries deliveries;
  private final Redis redis;
  private final CallKeys keys;
  private final CallMetrics metrics;
  private final Duration interval;
  private final Clock clock;
  private long timer;

  PoolGaugesVerticle(SmsNumberStore numbers, CallSessionDeliveries deliveries, Redis redis, CallKeys keys, CallMetrics metrics, Duration interval, Clock clock) {
    this.numbers = numbers;
    this.deliveries = deliveries;
    this.redis = redis;
    this.keys = keys;
    this.metrics = metrics;
    this.interval = interval;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(0, interval.toMillis(), id -> refresh());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void refresh() {
    String now = Long.toString(clock.millis());
    Future<Long> pins = redis.send(Request.cmd(Command.ZREMRANGEBYSCORE).arg(keys.pinsInUse()).arg("-inf").arg(now))
        .compose(dropped -> redis.send(Request.cmd(Command.ZCARD).arg(keys.pinsInUse())))
        .map(count -> count.toLong());
    Future.all(numbers.poolSenders(), pins)
        .onSuccess(both -> metrics.poolState(both.<java.util.List<String>>resultAt(0).size(), both.<Long>resultAt(1)))
        .onFailure(e -> log.debug("Pool gauges not refreshed: {}", e.getMessage()));
    deliveries.backlog()
        .onSuccess(metrics::deliveryBacklog)
        .onFailure(e -> log.debug("Call-session backlog gauges not refreshed: {}", e.getMessage()));
  }
}
