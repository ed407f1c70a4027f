package com.smsgateway.messages;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Status callbacks that outran their sid wait here, in memory, for this replica's sender to record it: Twilio (and
 * the sandbox) often posts a text's first callback before the answer to the send has been recorded. Waiting up to
 * {@code hold} replaces parking the callback in PostgreSQL (an insert, a lookup and a delete) in the common case;
 * a callback whose sid is recorded by another replica, or later than {@code hold}, is parked as before. A sid
 * recorded before its callback waits leaves a mark for {@code hold}, so that callback does not wait at all.
 */
final class SidArrivals {
  private final Vertx vertx;
  private final long holdMillis;
  private final ConcurrentHashMap<String, Promise<Void>> arrivals = new ConcurrentHashMap<>();

  SidArrivals(Vertx vertx, Duration hold) {
    this.vertx = vertx;
    this.holdMillis = hold.toMillis();
  }

  /** Completes when this replica records {@code sid}, or after the hold (at once when there is none). */
  Future<Void> awaitRecorded(String sid) {
    return holdMillis == 0 ? Future.succeededFuture() : arrival(sid).future();
  }

  /** This replica recorded {@code sid}: its waiting callbacks go on. */
  void recorded(String sid) {
    if (holdMillis > 0) {
      arrival(sid).tryComplete();
    }
  }

  private Promise<Void> arrival(String sid) {
    return arrivals.computeIfAbsent(sid, key -> {
      Promise<Void> arrival = Promise.promise();
      vertx.setTimer(holdMillis, tick -> {
        arrivals.remove(key, arrival);
        arrival.tryComplete();
      });
      return arrival;
    });
  }
}
