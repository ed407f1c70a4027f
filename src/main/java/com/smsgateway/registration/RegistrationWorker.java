package com.smsgateway.registration;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one registration job on this replica every {@code interval}, draining while a round comes back full, one round
 * at a time; stopping waits for the round in flight. The jobs claim their rows with leases, so every replica runs one
 * of these and none does the same row twice. (To move onto the shared leased-work engine once it is on main.)
 */
final class RegistrationWorker extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(RegistrationWorker.class);

  private final String name;
  private final Supplier<Future<Integer>> round;
  private final int fullRound;
  private final Duration interval;
  private long timer = -1;
  private Future<?> inFlight = Future.succeededFuture();
  private boolean running;
  private boolean stopping;

  /** {@code round} answers how many rows it handled; {@code fullRound} of them means more may be waiting. */
  RegistrationWorker(String name, Supplier<Future<Integer>> round, int fullRound, Duration interval) {
    this.name = name;
    this.round = round;
    this.fullRound = fullRound;
    this.interval = interval;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(interval.toMillis(), tick -> wake());
    wake();
    return Future.succeededFuture();
  }

  /** Starts a drain unless one is under way. */
  void wake() {
    if (running || stopping) {
      return;
    }
    running = true;
    inFlight = drain().onComplete(done -> running = false);
  }

  private Future<Void> drain() {
    return round.get()
        .recover(e -> {
          log.warn("Registration job '{}' failed: {}", name, e.toString());
          return Future.succeededFuture(0);
        })
        .compose(handled -> handled >= fullRound && !stopping ? drain() : Future.succeededFuture());
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    return inFlight.recover(e -> Future.succeededFuture());
  }
}
