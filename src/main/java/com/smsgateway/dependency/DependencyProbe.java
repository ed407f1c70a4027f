package com.smsgateway.dependency;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.healthchecks.HealthChecks;
import java.time.Duration;

/**
 * Runs the readiness checks every {@code interval}, so {@link DependencyHealth} finds a dependency back (and one gone
 * while the replica is idle) without waiting for traffic or for Kubernetes' readiness probe.
 */
public final class DependencyProbe extends VerticleBase {
  private final HealthChecks checks;
  private final Duration interval;
  private long timer;

  public DependencyProbe(HealthChecks checks, Duration interval) {
    this.checks = checks;
    this.interval = interval;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(interval.toMillis(), tick -> checks.checkStatus());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
