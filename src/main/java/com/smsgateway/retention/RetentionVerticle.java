package com.smsgateway.retention;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers the retention purge to this replica at start and every {@code retention.interval}; the lease decides
 * which replica runs it. Stopping waits for the batch in flight.
 */
public final class RetentionVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(RetentionVerticle.class);

  private final RetentionJob job;
  private final RetentionConfig config;
  private long timer;
  private Future<Boolean> running;

  public RetentionVerticle(RetentionJob job, RetentionConfig config) {
    this.job = job;
    this.config = config;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(0, config.interval().toMillis(), tick -> run());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    job.stop();
    return running == null ? Future.succeededFuture() : running.otherwiseEmpty();
  }

  private void run() {
    if (running != null) {
      return;
    }
    running = job.runOnce()
        .onFailure(failure -> log.warn("Retention purge failed; the next run retries: {}", failure.toString()))
        .onComplete(done -> running = null);
  }
}
