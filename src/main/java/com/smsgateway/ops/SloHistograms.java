package com.smsgateway.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * Histogram buckets for the latencies the SLOs and the dashboard read (docs/slo.md): Vert.x builds its HTTP,
 * SQL and Redis timers without buckets, so without these no percentile or "share under 100 ms" can be computed.
 * The bucket bounds include each SLO threshold exactly (100 ms webhook accept, 250 ms outbound accept).
 */
public final class SloHistograms {
  /** Request and command latencies: the HTTP server, PostgreSQL and Redis. */
  private static final double[] LATENCY_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  private static final Map<String, double[]> BUCKETED_TIMERS = Map.of(
      "vertx.http.server.response.time", LATENCY_SECONDS,
      "vertx.sql.processing.time", LATENCY_SECONDS,
      "vertx.redis.processing.time", LATENCY_SECONDS);

  private SloHistograms() {}

  /** The filter to configure on the registry before any Vert.x meter is created. */
  public static MeterFilter filter() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        double[] seconds = BUCKETED_TIMERS.get(id.getName());
        if (seconds == null) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .serviceLevelObjectives(Arrays.stream(seconds).map(s -> (double) Duration.ofMillis(Math.round(s * 1000)).toNanos()).toArray())
            .build()
            .merge(config);
      }
    };
  }
}
