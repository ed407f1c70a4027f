package com.smsgateway.dependency;

import com.smsgateway.domain.DomainFailure;
import com.smsgateway.twilio.TwilioApiException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Recognises, at the HTTP edge, a request that failed because a dependency was down or too slow rather than because
 * of a bug: such a request is answered 503 {@code dependency_unavailable} (with {@code Retry-After}), counted, and
 * not logged with a stack trace. Redis failures arrive already typed ({@link GuardedRedis}); PostgreSQL's are
 * recognised by their types and SQLSTATE classes here.
 */
public final class DependencyFailures {
  private final DependencyHealth health;

  public DependencyFailures(DependencyHealth health) {
    this.health = health;
  }

  /** The 503 to answer instead of {@code failure}, or empty when it is not a dependency's failure. */
  public Optional<DomainFailure> asUnavailable(Throwable failure) {
    Optional<Dependency> dependency = dependencyOf(failure);
    dependency.ifPresent(d -> health.failed(d, failure));
    return dependency.map(DependencyHealth::unavailable);
  }

  static Optional<Dependency> dependencyOf(Throwable failure) {
    if (failure == null || failure instanceof DomainFailure) {
      return Optional.empty();
    }
    if (failure instanceof TwilioApiException twilio) {
      return twilio.retryable() ? Optional.of(Dependency.TWILIO) : Optional.empty();
    }
    if (failure instanceof PgException pg) {
      return unavailableState(pg.getSqlState()) ? Optional.of(Dependency.POSTGRES) : Optional.empty();
    }
    // Redis and Twilio failures are typed before they get here, so a connection that failed, closed or timed out
    // belongs to the one dependency reached through a plain client: PostgreSQL.
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof ClosedConnectionException || cause instanceof ConnectException || cause instanceof TimeoutException
          || cause instanceof ClosedChannelException || cause instanceof io.netty.channel.ConnectTimeoutException
          || isPoolTimeout(cause)) {
        return Optional.of(Dependency.POSTGRES);
      }
    }
    return Optional.empty();
  }

  /** Connection problems (08), insufficient resources (53), operator intervention incl. statement timeout (57), system errors (58). */
  private static boolean unavailableState(String sqlState) {
    return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("53") || sqlState.startsWith("57") || sqlState.startsWith("58"));
  }

  /**
   * The pool's "timeout while waiting for a connection", a closed connection and a connection used after it closed
   * ("Connection is not active now") carry only a message.
   */
  private static boolean isPoolTimeout(Throwable cause) {
    String message = cause.getMessage();
    return cause instanceof io.vertx.core.VertxException && message != null
        && (message.contains("Timeout") || message.contains("timeout") || message.equals("Connection closed") || message.contains("Pool closed")
            || message.startsWith("Connection is not active now"));
  }
}
