package com.smsgateway.work;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leased-work engine: one worker verticle per job kind and replica, on one event loop. It is woken on its local
 * event-bus address ({@link #wake(Vertx, String)}) and every {@code pollEvery}; it then drains one batch at a time:
 * {@link #beforeClaim()}, {@link #claim(String, int)} (one owner-checked SQL statement that leases up to
 * {@code batchSize} jobs to this replica), each job's {@link #process} in parallel, {@link #afterBatch()}. A wake-up
 * during a batch, or a batch that came back full, drains again right after. {@link #stop()} stops claiming and
 * waits for the batch in flight.
 *
 * <p>Every write a job makes names the lease owner ({@link JobContext#owner()}), so a worker that lost its lease
 * changes nothing. A job runs at most {@code deadline} (shorter than the lease): then the engine stops waiting and
 * asks it to abort ({@link JobContext#aborted()}). With {@code renewEvery}, the leases of running jobs are renewed
 * (the worker implements {@link LeaseRenewal}); a renewal that finds the lease lost aborts the job.
 *
 * @param <J> one claimed job
 */
public abstract class LeasedWorker<J> extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(LeasedWorker.class);

  protected final WorkerSettings settings;
  protected final Clock clock;
  private final DistributionSummary batchSizes;
  private final Map<JobOutcome, Counter> outcomes = new EnumMap<>(JobOutcome.class);
  private final Counter claimFailures;
  private final Counter renewFailures;
  private final Timer jobDurations;

  private String owner;
  private MessageConsumer<Object> wakeUps;
  private long pollTimer;
  private boolean stopping;
  private Future<Void> inFlight;
  private boolean wokenWhileDraining;

  protected LeasedWorker(WorkerSettings settings, MeterRegistry registry, Clock clock) {
    if (settings.renewEvery().isPresent() && !(this instanceof LeaseRenewal)) {
      throw new IllegalArgumentException("Worker " + settings.name() + " renews leases (renewEvery) but does not implement LeaseRenewal");
    }
    this.settings = settings;
    this.clock = clock;
    String worker = settings.name();
    this.batchSizes = DistributionSummary.builder("gateway.work.batch.size")
        .description("Jobs claimed per batch, by worker")
        .baseUnit("jobs")
        .tag("worker", worker)
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
        .register(registry);
    for (JobOutcome outcome : JobOutcome.values()) {
      outcomes.put(outcome, Counter.builder("gateway.work.jobs")
          .description("Leased jobs by worker and outcome (done, retry, gave_up, lease_lost, deadline_exceeded, error)")
          .baseUnit("jobs")
          .tag("worker", worker)
          .tag("outcome", outcome.tag())
          .register(registry));
    }
    this.claimFailures = failures(registry, worker, "claim");
    this.renewFailures = failures(registry, worker, "renew");
    this.jobDurations = Timer.builder("gateway.work.job.duration")
        .description("Duration of one leased job, by worker")
        .tag("worker", worker)
        .register(registry);
  }

  private static Counter failures(MeterRegistry registry, String worker, String stage) {
    return Counter.builder("gateway.work.failures")
        .description("Failed claims (with the housekeeping around them) and lease renewals, by worker")
        .tag("worker", worker)
        .tag("stage", stage)
        .register(registry);
  }

  /** Asks the named worker of this replica to drain now instead of at its next poll. */
  public static void wake(Vertx vertx, String workerName) {
    vertx.eventBus().send(WorkerSettings.wakeAddress(workerName), null);
  }

  /** Housekeeping before each claim (e.g. giving up exhausted jobs); a failure skips the batch. */
  protected Future<Void> beforeClaim() {
    return Future.succeededFuture();
  }

  /** Leases up to {@code limit} due jobs to {@code owner} for {@code settings.lease()} (one statement). */
  protected abstract Future<List<J>> claim(String owner, int limit);

  /** Runs one job and records its outcome with owner-checked writes; a failed future counts as {@link JobOutcome#ERROR}. */
  protected abstract Future<JobOutcome> process(J job, JobContext context);

  /** After each batch (e.g. refreshing a backlog gauge); a failure is logged. */
  protected Future<Void> afterBatch() {
    return Future.succeededFuture();
  }

  /** Whether a batch of {@code claimed} jobs calls for another one right away: by default when it came back full. */
  protected boolean drainAgainAfter(int claimed) {
    return claimed >= settings.batchSize();
  }

  /** This replica's name on the leases it takes. */
  protected final String owner() {
    return owner;
  }

  @Override
  public Future<?> start() {
    owner = ReplicaId.of(vertx);
    wakeUps = vertx.eventBus().localConsumer(settings.wakeAddress(), wake -> drain());
    long poll = settings.pollEvery().toMillis();
    pollTimer = vertx.setPeriodic(settings.pollAtStart() ? 1 : poll, poll, tick -> drain());
    return wakeUps.completion();
  }

  /** Stops claiming; the batch in flight finishes and records its outcomes. */
  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(pollTimer);
    return wakeUps.unregister().eventually(() -> inFlight == null ? Future.succeededFuture() : inFlight);
  }

  /** One batch at a time on this verticle's event loop; a wake-up meanwhile drains again right after. */
  private void drain() {
    if (stopping) {
      return;
    }
    if (inFlight != null) {
      wokenWhileDraining = true;
      return;
    }
    wokenWhileDraining = false;
    Promise<Void> batch = Promise.promise();
    inFlight = batch.future();
    Future.<Void>succeededFuture()
        .compose(v -> beforeClaim())
        .compose(v -> claim(owner, settings.batchSize()))
        .onFailure(failure -> {
          claimFailures.increment();
          log.warn("Worker {}: claiming work failed; the next poll retries: {}", settings.name(), failure.toString());
        })
        .compose(jobs -> {
          batchSizes.record(jobs.size());
          return Future.join(jobs.stream().map(this::run).toList()).map(done -> jobs.size());
        })
        .compose(claimed -> afterBatch()
            .recover(failure -> {
              log.warn("Worker {}: after-batch work failed: {}", settings.name(), failure.toString());
              return Future.succeededFuture();
            })
            .map(claimed))
        .onComplete(drained -> {
          inFlight = null;
          batch.complete();
          if (drained.succeeded() && (wokenWhileDraining || drainAgainAfter(drained.result()))) {
            drain();
          }
        });
  }

  /** One job under its deadline (and lease renewal); never fails. */
  @SuppressWarnings("unchecked")
  private LeaseRenewal<J> renewal() {
    return (LeaseRenewal<J>) this;
  }

  private Future<Void> run(J job) {
    long started = System.nanoTime();
    JobContext context = new JobContext(owner, clock.instant().plus(settings.deadline()));
    Promise<JobOutcome> outcome = Promise.promise();
    long deadlineTimer = vertx.setTimer(Math.max(1, settings.deadline().toMillis()), tick -> {
      outcome.tryComplete(JobOutcome.DEADLINE_EXCEEDED);
      context.abort("deadline of " + settings.deadline() + " exceeded");
    });
    long renewTimer = settings.renewEvery().map(Duration::toMillis)
        .map(every -> vertx.setPeriodic(every, tick -> renewal().renew(job, owner).onComplete(renewed -> {
          if (renewed.failed()) {
            renewFailures.increment();
            log.warn("Worker {}: renewing a lease failed; trying again: {}", settings.name(), renewed.cause().toString());
          } else if (!renewed.result()) {
            context.loseLease();
          }
        })))
        .orElse(-1L);
    Future.<Void>succeededFuture()
        .compose(v -> process(job, context))
        .onComplete(processed -> {
          if (processed.failed()) {
            log.warn("Worker {}: a job failed; its lease runs out and it is taken again: {}", settings.name(), processed.cause().toString());
          }
          outcome.tryComplete(processed.succeeded() ? processed.result() : JobOutcome.ERROR);
        });
    return outcome.future().map(ended -> {
      vertx.cancelTimer(deadlineTimer);
      if (renewTimer >= 0) {
        vertx.cancelTimer(renewTimer);
      }
      outcomes.get(context.leaseLost() && ended != JobOutcome.DONE ? JobOutcome.LEASE_LOST : ended).increment();
      jobDurations.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      return null;
    });
  }
}
