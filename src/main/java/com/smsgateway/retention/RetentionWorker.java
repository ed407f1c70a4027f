package com.smsgateway.retention;

import com.smsgateway.work.JobContext;
import com.smsgateway.work.JobOutcome;
import com.smsgateway.work.LeaseRenewal;
import com.smsgateway.work.LeasedWorker;
import com.smsgateway.work.WorkerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The retention purge on the leased-work engine: the one job is the lease row {@code retention} in
 * {@code maintenance_leases}, claimed by one replica at a time, renewed while the purge runs, and at the end held
 * until the next run is due ({@code retention.interval}), so the replicas together purge once per interval.
 */
final class RetentionWorker extends LeasedWorker<RetentionWorker.Run> implements LeaseRenewal<RetentionWorker.Run> {
  static final String NAME = "retention";

  /** The single job: one run of the purge. */
  record Run() {}

  private final RetentionStore store;
  private final RetentionJob job;
  private final RetentionConfig config;

  RetentionWorker(RetentionStore store, RetentionJob job, RetentionConfig config, MeterRegistry registry, Clock clock) {
    // A run may take up to one interval (then the next replica continues); its lease is renewed at half its length.
    super(new WorkerSettings(NAME, config.interval(), true, 1, config.lease(), "retention.lease", config.interval(), "retention.interval",
        Optional.of(config.lease().dividedBy(2))), registry, clock);
    this.store = store;
    this.job = job;
    this.config = config;
  }

  @Override
  protected Future<List<Run>> claim(String owner, int limit) {
    return store.acquire(NAME, owner, settings.lease()).map(acquired -> acquired ? List.of(new Run()) : List.of());
  }

  @Override
  protected Future<JobOutcome> process(Run run, JobContext context) {
    return job.purge(() -> context.leaseLost() || context.aborted().isComplete())
        .compose(v -> context.leaseLost()
            ? Future.succeededFuture(JobOutcome.LEASE_LOST)
            : store.hold(NAME, context.owner(), config.interval()).map(JobOutcome.DONE));
  }

  @Override
  public Future<Boolean> renew(Run run, String owner) {
    return store.hold(NAME, owner, settings.lease());
  }

  @Override
  protected boolean drainAgainAfter(int claimed) {
    return false;
  }
}
