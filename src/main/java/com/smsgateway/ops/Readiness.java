package com.smsgateway.ops;

import com.smsgateway.dependency.Dependency;
import com.smsgateway.dependency.DependencyHealth;
import com.smsgateway.redis.RedisConnector;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** The readiness checks. Shutting down flips readiness first, so the load balancer drains this replica. */
public final class Readiness {
  private final AtomicBoolean acceptingTraffic = new AtomicBoolean(true);
  private final HealthChecks checks;

  /** Redis reports to {@code health} through its guarded client; PostgreSQL's probe reports here. */
  public Readiness(Vertx vertx, Pool pg, Redis redis, Duration timeout, DependencyHealth health) {
    long timeoutMs = timeout.toMillis();
    this.checks = HealthChecks.create(vertx)
        .register("postgresql", timeoutMs, promise -> complete(promise, pg.query("SELECT 1").execute()
            .timeout(timeoutMs, TimeUnit.MILLISECONDS)
            .onSuccess(ok -> health.answered(Dependency.POSTGRES))
            .onFailure(e -> health.failed(Dependency.POSTGRES, e))
            .mapEmpty()))
        .register("redis", timeoutMs, promise -> complete(promise, RedisConnector.ping(redis)))
        .register("accepting_traffic", promise -> promise.complete(acceptingTraffic.get()
            ? Status.OK()
            : Status.KO(new JsonObject().put("cause", "shutting down"))));
  }

  public HealthChecks checks() {
    return checks;
  }

  public void stopAcceptingTraffic() {
    acceptingTraffic.set(false);
  }

  /** No raw error text: readiness is public, and the cause is in the log (one WARN per outage) and the metrics. */
  private static void complete(Promise<Status> promise, Future<Void> probe) {
    probe.onComplete(done -> promise.complete(done.succeeded()
        ? Status.OK()
        : Status.KO(new JsonObject().put("cause", "unavailable"))));
  }
}
