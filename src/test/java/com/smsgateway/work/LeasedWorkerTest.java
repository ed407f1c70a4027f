package com.smsgateway.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.smsgateway.config.ConfigException;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.ManualClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The leased-work engine alone: a fake leased table and a clock moved by hand, no PostgreSQL. */
@ExtendWith(VertxExtension.class)
class LeasedWorkerTest {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration NEVER = Duration.ofHours(1);

  private final ManualClock time = new ManualClock();
  private final FakeLeaseStore store = new FakeLeaseStore(time, LEASE);
  private final MeterRegistry registry = new SimpleMeterRegistry();

  /** Claims from the fake store; a job waits for its gate when the test set one, then records its result. */
  private final class TestWorker extends LeasedWorker<String> implements LeaseRenewal<String> {
    final List<String> started = new CopyOnWriteArrayList<>();
    final Map<String, Promise<Void>> gates = new ConcurrentHashMap<>();
    final Map<String, JobContext> contexts = new ConcurrentHashMap<>();
    volatile boolean stopCalled;

    TestWorker(WorkerSettings settings) {
      super(settings, registry, time);
    }

    @Override
    protected Future<List<String>> claim(String owner, int limit) {
      return Future.succeededFuture(store.claim(owner, limit));
    }

    @Override
    protected Future<JobOutcome> process(String job, JobContext context) {
      started.add(job);
      contexts.put(job, context);
      Future<Void> gate = gates.containsKey(job) ? gates.get(job).future() : Future.succeededFuture();
      return Future.any(gate, context.aborted()).map(v -> {
        if (context.leaseLost()) {
          return JobOutcome.LEASE_LOST;
        }
        return store.complete(job, context.owner(), "done by " + context.owner()) ? JobOutcome.DONE : JobOutcome.LEASE_LOST;
      });
    }

    @Override
    public Future<Boolean> renew(String job, String owner) {
      return Future.succeededFuture(store.renew(job, owner));
    }

    @Override
    public Future<?> stop() {
      stopCalled = true;
      return super.stop();
    }

    Promise<Void> gate(String job) {
      Promise<Void> gate = Promise.promise();
      gates.put(job, gate);
      return gate;
    }
  }

  private static WorkerSettings settings(int batchSize, Duration deadline) {
    return WorkerSettings.of("test", NEVER, false, batchSize, LEASE, "test.lease", deadline, "test.deadline");
  }

  private static WorkerSettings renewing(Duration every) {
    return new WorkerSettings("test", NEVER, false, 10, LEASE, "test.lease", Duration.ofMinutes(5), "test.deadline", Optional.of(every));
  }

  private String deploy(Vertx vertx, TestWorker worker) {
    return Await.result(vertx.deployVerticle(worker));
  }

  private double jobs(String outcome) {
    return registry.get("gateway.work.jobs").tag("worker", "test").tag("outcome", outcome).counter().count();
  }

  @Test
  void aWakeUpDrainsBatchAfterBatchUntilABatchComesBackShort(Vertx vertx) {
    for (int i = 0; i < 5; i++) {
      store.add("job" + i);
    }
    TestWorker worker = new TestWorker(settings(2, Duration.ofSeconds(10)));
    deploy(vertx, worker);

    LeasedWorker.wake(vertx, "test");

    Await.until("all five jobs are done", () -> jobs("done") == 5);
    assertThat(worker.started).containsExactly("job0", "job1", "job2", "job3", "job4");
    assertThat(registry.get("gateway.work.batch.size").tag("worker", "test").summary().count()).isEqualTo(3);
  }

  @Test
  void aWakeUpDuringABatchDrainsAgainRightAfterIt(Vertx vertx) {
    store.add("first");
    TestWorker worker = new TestWorker(settings(10, Duration.ofSeconds(10)));
    Promise<Void> firstGate = worker.gate("first");
    deploy(vertx, worker);
    LeasedWorker.wake(vertx, "test");
    Await.until("the first job runs", () -> worker.started.contains("first"));

    store.add("second");
    LeasedWorker.wake(vertx, "test");
    assertThat(worker.started).containsExactly("first");
    vertx.runOnContext(v -> firstGate.complete());

    Await.until("the second job is done without waiting for a poll", () -> store.result("second") != null);
    assertThat(worker.started).containsExactly("first", "second");
  }

  @Test
  void stopWaitsForTheBatchInFlightAndClaimsNoMore(Vertx vertx) {
    store.add("slow");
    TestWorker worker = new TestWorker(settings(10, Duration.ofSeconds(10)));
    Promise<Void> gate = worker.gate("slow");
    String deployment = deploy(vertx, worker);
    LeasedWorker.wake(vertx, "test");
    Await.until("the job runs", () -> worker.started.contains("slow"));

    AtomicReference<String> resultWhenStopped = new AtomicReference<>();
    Future<Void> stopped = vertx.undeploy(deployment).onSuccess(v -> resultWhenStopped.set(store.result("slow")));
    Await.until("the worker is stopping", () -> worker.stopCalled);
    store.add("later");
    LeasedWorker.wake(vertx, "test");

    vertx.runOnContext(v -> gate.complete());
    Await.result(stopped);
    assertThat(resultWhenStopped.get()).startsWith("done by ");
    assertThat(worker.started).doesNotContain("later");
  }

  @Test
  void aWorkerThatLostItsLeaseChangesNothing(Vertx vertx) {
    store.add("contested");
    TestWorker worker = new TestWorker(settings(10, Duration.ofSeconds(10)));
    Promise<Void> gate = worker.gate("contested");
    deploy(vertx, worker);
    LeasedWorker.wake(vertx, "test");
    Await.until("the job runs", () -> worker.started.contains("contested"));

    // The lease ran out (a long pause) and another replica took the job over and finished it.
    time.advance(LEASE.plusSeconds(1));
    store.takeOver("contested", "another-replica");
    assertThat(store.complete("contested", "another-replica", "done by another-replica")).isTrue();
    vertx.runOnContext(v -> gate.complete());

    Await.until("the job ended as lease lost", () -> jobs("lease_lost") == 1);
    assertThat(store.result("contested")).isEqualTo("done by another-replica");
    assertThat(jobs("done")).isZero();
  }

  @Test
  void aLongJobKeepsItsLeaseByRenewingIt(Vertx vertx) {
    store.add("long");
    TestWorker worker = new TestWorker(renewing(Duration.ofMillis(20)));
    Promise<Void> gate = worker.gate("long");
    deploy(vertx, worker);
    LeasedWorker.wake(vertx, "test");
    Await.until("the job runs", () -> worker.started.contains("long"));

    for (int step = 1; step <= 3; step++) {
      int renewed = store.renewals();
      Await.until("the lease is renewed", () -> store.renewals() > renewed);
      time.advance(LEASE.minusSeconds(10));
    }
    // 60 s after the claim, twice past the first lease: still this replica's, so nobody else can claim it.
    assertThat(store.claim("another-replica", 10)).isEmpty();
    vertx.runOnContext(v -> gate.complete());

    Await.until("the job is done", () -> jobs("done") == 1);
    assertThat(store.result("long")).isEqualTo("done by " + ReplicaId.of(vertx));
  }

  @Test
  void aRenewalThatFindsTheLeaseLostAbortsTheJob(Vertx vertx) {
    store.add("taken");
    TestWorker worker = new TestWorker(renewing(Duration.ofMillis(20)));
    worker.gate("taken");
    deploy(vertx, worker);
    LeasedWorker.wake(vertx, "test");
    Await.until("the job runs", () -> worker.started.contains("taken"));

    store.takeOver("taken", "another-replica");

    Await.until("the job ended as lease lost", () -> jobs("lease_lost") == 1);
    assertThat(worker.contexts.get("taken").leaseLost()).isTrue();
    assertThat(store.result("taken")).isNull();
    assertThat(store.leaseOwner("taken")).isEqualTo("another-replica");
  }

  @Test
  void aJobPastItsDeadlineIsAbortedAndCounted(Vertx vertx) {
    store.add("hung");
    TestWorker worker = new TestWorker(settings(10, Duration.ofMillis(50)));
    worker.gate("hung");
    deploy(vertx, worker);

    LeasedWorker.wake(vertx, "test");

    Await.until("the job is counted past its deadline", () -> jobs("deadline_exceeded") == 1);
    assertThat(worker.contexts.get("hung").aborted().isComplete()).isTrue();
    assertThat(worker.contexts.get("hung").deadline()).isEqualTo(time.instant().plusMillis(50));
  }

  @Test
  void theDeadlineMustBeShorterThanTheLease() {
    assertThatThrownBy(() -> WorkerSettings.of("test", NEVER, false, 1, LEASE, "test.lease", LEASE, "test.deadline"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("test.deadline")
        .hasMessageContaining("must be shorter than test.lease");
  }

  @Test
  void aRenewingWorkerRenewsAtLeastTwicePerLease() {
    assertThatThrownBy(() -> renewing(LEASE.dividedBy(2).plusMillis(1)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("test.lease");
  }

  @Test
  void aWorkerThatRenewsLeasesMustSayHow() {
    assertThatThrownBy(() -> new LeasedWorker<String>(renewing(Duration.ofMillis(20)), new SimpleMeterRegistry(), java.time.Clock.systemUTC()) {
      @Override
      protected Future<List<String>> claim(String owner, int limit) {
        return Future.succeededFuture(List.of());
      }

      @Override
      protected Future<JobOutcome> process(String job, JobContext context) {
        return Future.succeededFuture(JobOutcome.DONE);
      }
    })
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("LeaseRenewal");
  }
}
