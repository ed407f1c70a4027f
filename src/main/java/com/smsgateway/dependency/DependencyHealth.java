package com.smsgateway.dependency;

import com.smsgateway.domain.DomainFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether each dependency answers, as requests and probes find out: one WARN when one becomes unavailable, one INFO
 * when it is back, every failure counted ({@code gateway_dependency_failures_total{dependency}}) and the state on a
 * gauge ({@code gateway_dependency_up{dependency}}). Thread-safe: Twilio calls report from virtual threads.
 */
public final class DependencyHealth {
  private static final Logger log = LoggerFactory.getLogger(DependencyHealth.class);

  private final Map<Dependency, AtomicBoolean> up = new EnumMap<>(Dependency.class);
  private final Map<Dependency, Counter> failures = new EnumMap<>(Dependency.class);

  public DependencyHealth(MeterRegistry registry) {
    for (Dependency dependency : Dependency.values()) {
      AtomicBoolean state = new AtomicBoolean(true);
      up.put(dependency, state);
      Gauge.builder("gateway.dependency.up", state, s -> s.get() ? 1 : 0)
          .description("1 while the dependency answers, 0 after a failure until it answers again")
          .tag("dependency", dependency.label())
          .register(registry);
      failures.put(dependency, Counter.builder("gateway.dependency.failures")
          .description("Calls to a dependency that failed because it was down, refused or too slow")
          .tag("dependency", dependency.label())
          .register(registry));
    }
  }

  /** A call failed for lack of the dependency: counted; the first failure after it was up is logged. */
  public void failed(Dependency dependency, Throwable cause) {
    failures.get(dependency).increment();
    if (up.get(dependency).compareAndSet(true, false)) {
      log.warn("{} became unavailable: {}", dependency.displayName(), describe(cause));
    }
  }

  /** A call succeeded: logged once when the dependency had been unavailable. */
  public void answered(Dependency dependency) {
    if (up.get(dependency).compareAndSet(false, true)) {
      log.info("{} is available again", dependency.displayName());
    }
  }

  public boolean isUp(Dependency dependency) {
    return up.get(dependency).get();
  }

  /** The failure a request gets: 503 {@code dependency_unavailable} naming the dependency (the edge adds Retry-After). */
  public static DomainFailure unavailable(Dependency dependency) {
    return DomainFailure.unavailable("dependency_unavailable",
            dependency.displayName() + " is unavailable or too slow; nothing was changed, retry after the Retry-After delay.")
        .with("dependency", dependency.label());
  }

  private static String describe(Throwable cause) {
    return cause == null ? "no answer" : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }
}
