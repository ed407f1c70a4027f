package com.smsgateway.dependency;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.Test;

/** Which failures are a dependency being down (503 dependency_unavailable), whatever shape the client gives them. */
class DependencyFailuresTest {

  @Test
  void aPostgresqlConnectionUsedAfterItClosedIsPostgresqlBeingUnavailable() {
    // What the PG client fails a query with when its connection dropped between the pool's hand-out and the query.
    assertThat(DependencyFailures.dependencyOf(new VertxException("Connection is not active now, current status: CLOSED", true)))
        .contains(Dependency.POSTGRES);
  }

  @Test
  void aClosedConnectionAnywhereInTheCausesIsPostgresqlBeingUnavailable() {
    assertThat(DependencyFailures.dependencyOf(new RuntimeException("query failed", ClosedConnectionException.INSTANCE)))
        .contains(Dependency.POSTGRES);
  }

  @Test
  void aBugIsNotADependencyFailure() {
    assertThat(DependencyFailures.dependencyOf(new IllegalStateException("a bug"))).isEmpty();
  }
}
