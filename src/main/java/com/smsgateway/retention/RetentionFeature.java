package com.smsgateway.retention;

import com.smsgateway.feature.Feature;
import com.smsgateway.feature.Services;
import io.vertx.core.Deployable;
import java.util.List;

/** Retention: finished data purged after {@code retention.*} (and idempotency keys after {@code idempotency.ttl}). */
public final class RetentionFeature implements Feature {
  private final RetentionVerticle purge;

  private RetentionFeature(RetentionVerticle purge) {
    this.purge = purge;
  }

  public static RetentionFeature create(Services services) {
    RetentionConfig config = RetentionConfig.from(services.config().source());
    return new RetentionFeature(new RetentionVerticle(new RetentionJob(services.pg(), config, services.registry()), config));
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
