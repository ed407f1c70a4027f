package com.smsgateway.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Await;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The group commit webhook inserts, dispatch outcomes and outbound writes go through, with a writer the test completes by hand. */
class GroupCommitTest {
  /** One call of the writer: its items, and the promise the test completes to commit them. */
  private record Write(List<Integer> items, Promise<List<String>> committed) {}

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final List<Write> writes = new CopyOnWriteArrayList<>();
  private final DistributionSummary batchSizes = DistributionSummary.builder("test.batch.size").register(new SimpleMeterRegistry());

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  private GroupCommit<Integer, String> groupCommit(int maxBatchSize) {
    return groupCommit(maxBatchSize, Integer.MAX_VALUE);
  }

  private GroupCommit<Integer, String> groupCommit(int maxBatchSize, int maxQueued) {
    return new GroupCommit<>(context, maxBatchSize, maxQueued, Duration.ZERO, items -> {
      Promise<List<String>> committed = Promise.promise();
      writes.add(new Write(items, committed));
      return committed.future();
    }, batchSizes);
  }

  private Write awaitWrite(int index) {
    Await.until("write " + index + " starts", () -> writes.size() > index);
    return writes.get(index);
  }

  /** Completes the write on the group commit's context, as the PostgreSQL client does. */
  private void commit(Write write) {
    context.runOnContext(v -> write.committed().complete(write.items().stream().map(item -> "stored " + item).toList()));
  }

  /** Returns once the context ran everything submitted before (its tasks run in order). */
  private void awaitQueued() {
    Promise<Void> reached = Promise.promise();
    context.runOnContext(v -> reached.complete());
    Await.result(reached.future());
  }

  @Test
  void itemsArrivingWhileABatchCommitsMakeUpTheNextBatch() {
    GroupCommit<Integer, String> commits = groupCommit(100);
    Future<String> first = commits.submit(1);
    Write firstWrite = awaitWrite(0);
    List<Future<String>> waiting = List.of(commits.submit(2), commits.submit(3), commits.submit(4));
    awaitQueued();

    commit(firstWrite);
    Write secondWrite = awaitWrite(1);

    assertThat(Await.result(first)).isEqualTo("stored 1");
    assertThat(firstWrite.items()).containsExactly(1);
    assertThat(secondWrite.items()).containsExactly(2, 3, 4);
    assertThat(waiting).noneMatch(Future::isComplete);
    commit(secondWrite);
    assertThat(Await.result(Future.all(waiting)).<String>list()).containsExactly("stored 2", "stored 3", "stored 4");
  }

  @Test
  void aBatchHoldsAtMostTheConfiguredNumberOfItems() {
    GroupCommit<Integer, String> commits = groupCommit(2);
    commits.submit(1);
    Write firstWrite = awaitWrite(0);
    List.of(2, 3, 4).forEach(commits::submit);
    awaitQueued();

    commit(firstWrite);
    commit(awaitWrite(1));

    assertThat(writes.get(1).items()).containsExactly(2, 3);
    assertThat(awaitWrite(2).items()).containsExactly(4);
  }

  @Test
  void aFailedWriteFailsOnlyItsOwnBatch() {
    GroupCommit<Integer, String> commits = groupCommit(100);
    Future<String> failing = commits.submit(1);
    Write failingWrite = awaitWrite(0);
    Future<String> next = commits.submit(2);
    awaitQueued();

    context.runOnContext(v -> failingWrite.committed().fail(new IllegalStateException("connection reset")));
    commit(awaitWrite(1));

    assertThat(Await.result(next)).isEqualTo("stored 2");
    assertThat(failing.failed()).isTrue();
    assertThat(failing.cause()).hasMessage("connection reset");
  }

  @Test
  void aFullQueueRefusesAtOnceWith503AndAcceptsAgainOnceItDrains() {
    GroupCommit<Integer, String> commits = groupCommit(2, 3);
    Future<String> writing = commits.submit(1);
    Write first = awaitWrite(0);
    List<Future<String>> queued = List.of(commits.submit(2), commits.submit(3), commits.submit(4));

    Future<String> refused = commits.submit(5);
    awaitQueued();

    assertThat(refused.failed()).isTrue();
    assertThat(refused.cause()).isInstanceOf(com.smsgateway.domain.DomainFailure.class);
    assertThat(((com.smsgateway.domain.DomainFailure) refused.cause()).kind()).isEqualTo(com.smsgateway.domain.DomainFailure.Kind.UNAVAILABLE);
    assertThat(queued).allMatch(future -> !future.isComplete());
    commit(first);
    Await.result(writing);
    commit(awaitWrite(1));
    commit(awaitWrite(2));
    queued.forEach(Await::result);
    Future<String> later = commits.submit(6);
    commit(awaitWrite(3));

    assertThat(Await.result(later)).isEqualTo("stored 6");
  }
}
