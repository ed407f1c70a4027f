package com.smsgateway.work;

import com.smsgateway.config.ConfigException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one leased worker runs. A job may take at most {@code deadline}, which must be shorter than the {@code lease}
 * (so a live job's lease never runs out under it and a crashed job is taken over after the lease), unless the worker
 * renews its leases every {@code renewEvery}, which must then be at most half the lease. A violation fails start-up
 * with a {@link ConfigException} naming the configuration key.
 *
 * @param name        the worker's name: the {@code worker} tag of its meters and part of its wake address
 * @param pollEvery   how often the worker looks for work without being woken
 * @param pollAtStart look for work at once on start (work a crashed replica left behind), not only after {@code pollEvery}
 * @param batchSize   most jobs claimed at once
 * @param lease       how long a claimed job stays this replica's; {@code leaseKey} names it in configuration
 * @param deadline    how long one job may run; {@code deadlineKey} names it in configuration
 * @param renewEvery  when present, running jobs' leases are renewed this often
 */
public record WorkerSettings(
    String name,
    Duration pollEvery,
    boolean pollAtStart,
    int batchSize,
    Duration lease,
    String leaseKey,
    Duration deadline,
    String deadlineKey,
    Optional<Duration> renewEvery) {

  public WorkerSettings {
    Objects.requireNonNull(name);
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1");
    }
    if (pollEvery.toMillis() < 1) {
      throw new IllegalArgumentException("the poll interval of worker " + name + " must be at least 1ms");
    }
    if (renewEvery.isEmpty() && deadline.compareTo(lease) >= 0) {
      throw new ConfigException(deadlineKey, "'" + deadline + "' must be shorter than " + leaseKey + " (" + lease
          + "), or a job still running could be taken over by another replica");
    }
    if (renewEvery.isPresent() && (renewEvery.get().toMillis() < 1 || renewEvery.get().multipliedBy(2).compareTo(lease) > 0)) {
      throw new ConfigException(leaseKey, "'" + lease + "' must be at least twice the renewal interval (" + renewEvery.get() + ")");
    }
  }

  /** A worker without lease renewal: each job must finish within {@code deadline}, shorter than {@code lease}. */
  public static WorkerSettings of(String name, Duration pollEvery, boolean pollAtStart, int batchSize,
                                  Duration lease, String leaseKey, Duration deadline, String deadlineKey) {
    return new WorkerSettings(name, pollEvery, pollAtStart, batchSize, lease, leaseKey, deadline, deadlineKey, Optional.empty());
  }

  /** The local event-bus address that wakes this worker. */
  public String wakeAddress() {
    return wakeAddress(name);
  }

  public static String wakeAddress(String workerName) {
    return "gateway.work." + workerName + ".wake";
  }
}
