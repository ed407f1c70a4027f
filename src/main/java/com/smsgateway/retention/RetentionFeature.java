package com.smsgateway.retention;

import com.smsgateway.feature.Feature;
import com.smsgateway.feature.Services;
import io.vertx.core.Deployable;
import java.time.Clock;
import java.util.List;

/** Retention: finished data purged after {@code retention.*} (and idempotency keys after {@code idempotency.ttl}). */
public final class RetentionFeature implements Feature {
  private final RetentionWorker purge;

  private RetentionFeature(RetentionWorker purge) {
    this.purge = purge;
  }

  public static RetentionFeature create(Services services) {
    RetentionConfig config = RetentionConfig.from(services.config().source());
    RetentionStore store = new RetentionStore(services.pg());
    return new RetentionFeature(new RetentionWorker(store,
        new RetentionJob(store, services.messages(), config, services.registry()), config, services.registry(), Clock.systemUTC()));
  }

  @Override
  public String name() {
    return "retention";
  }

  @Override
  public List<Deployable> workers() {
    return List.of(purge);
  }
}
