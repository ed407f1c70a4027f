package com.smsgateway.registration;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts the stale registration steps into this replica's gauge every {@code registration.gauge_refresh}. */
final class StaleRegistrationsGauge extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(StaleRegistrationsGauge.class);

  private final RegistrationService service;
  private final Duration refresh;
  private long timer = -1;

  StaleRegistrationsGauge(RegistrationService service, Duration refresh) {
    this.service = service;
    this.refresh = refresh;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(1, refresh.toMillis(), tick -> service.countStale()
        .onFailure(e -> log.warn("Counting stale registrations failed: {}", e.toString())));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
