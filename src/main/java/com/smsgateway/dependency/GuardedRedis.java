package com.smsgateway.dependency;

import com.smsgateway.domain.DomainFailure;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Redis client with a deadline on every command ({@code redis.command_timeout}; the Vert.x client has none) and
 * its failures reported to {@link DependencyHealth}: a connection failure or a missed deadline fails with 503
 * {@code dependency_unavailable}, while Redis's own error replies (a script's error, NOSCRIPT) pass through unchanged.
 */
public final class GuardedRedis implements Redis {
  private final Redis delegate;
  private final long timeoutMillis;
  private final DependencyHealth health;

  public GuardedRedis(Redis delegate, Duration commandTimeout, DependencyHealth health) {
    this.delegate = delegate;
    this.timeoutMillis = Math.max(1, commandTimeout.toMillis());
    this.health = health;
  }

  @Override
  public Future<Response> send(Request command) {
    return guard(delegate.send(command));
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    return guard(delegate.batch(commands));
  }

  /** A dedicated connection is the caller's to manage; only getting one is guarded. */
  @Override
  public Future<RedisConnection> connect() {
    return guard(delegate.connect());
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }

  private <T> Future<T> guard(Future<T> call) {
    return call.timeout(timeoutMillis, TimeUnit.MILLISECONDS).transform(done -> {
      if (done.succeeded()) {
        health.answered(Dependency.REDIS);
        return Future.succeededFuture(done.result());
      }
      if (isRedisReply(done.cause())) {
        health.answered(Dependency.REDIS);
        return Future.failedFuture(done.cause());
      }
      health.failed(Dependency.REDIS, done.cause());
      return Future.failedFuture(DependencyHealth.unavailable(Dependency.REDIS));
    });
  }

  /**
   * An error Redis answered (ERR, NOSCRIPT, WRONGTYPE, …): Redis is up and the caller handles it. Replies that mean the
   * server cannot serve now (connection lost, loading, cluster down, fail-over under way) count as unavailable.
   */
  private static boolean isRedisReply(Throwable failure) {
    if (failure instanceof DomainFailure) {
      return true;
    }
    String message = failure.getMessage() == null ? "" : failure.getMessage();
    return failure instanceof ErrorType && !message.matches("^(CONNECTION_CLOSED|LOADING|CLUSTERDOWN|MASTERDOWN|TRYAGAIN|READONLY)\\b.*");
  }
}
