package com.smsgateway.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-event-loop group commits with a writer that refuses one item, as PostgreSQL refuses one bad row. */
class EventLoopBatchesTest {
  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<List<Integer>> statements = new CopyOnWriteArrayList<>();
  /** Held open until the test releases it, so that the next items queue up behind it. */
  private final Promise<Void> firstStatement = Promise.promise();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  /**
   * Doubles each item; a statement holding a negative item fails as a whole, as PostgreSQL refuses a row (check
   * constraint); one holding zero fails as a lost connection does.
   */
  private Future<List<Integer>> write(List<Integer> items) {
    statements.add(items);
    Future<Void> gate = statements.size() == 1 ? firstStatement.future() : Future.succeededFuture();
    return gate.compose(open -> items.stream().anyMatch(item -> item < 0)
        ? Future.failedFuture(new PgException("negative", "ERROR", "23514", null))
        : items.contains(0)
            ? Future.failedFuture(new IllegalStateException("connection lost"))
            : Future.succeededFuture(items.stream().map(item -> item * 2).toList()));
  }

  private EventLoopBatches<Integer, Integer> batches() {
    return new EventLoopBatches<>(vertx, "test", new EventLoopBatches.BatchLimits(100, 1000, Duration.ZERO), this::write, registry);
  }

  @Test
  void itemsSubmittedOnOneEventLoopWhileAStatementRunsShareTheNextOne() {
    EventLoopBatches<Integer, Integer> batches = batches();
    Context eventLoop = vertx.getOrCreateContext();
    List<Future<Integer>> answers = submitOn(eventLoop, batches, List.of(1, 2, 3, 4));

    Await.until("the first statement started", () -> !statements.isEmpty());
    releaseFirstStatement(eventLoop);

    assertThat(answers.stream().map(Await::result).toList()).containsExactly(2, 4, 6, 8);
    assertThat(statements).containsExactly(List.of(1), List.of(2, 3, 4));
    assertThat(registry.find("gateway.db.batch.size").tag("writer", "test").summary().count()).isEqualTo(2);
  }

  @Test
  void aBatchThatFailsIsWrittenItemByItemSoOnlyTheBadItemFails() {
    EventLoopBatches<Integer, Integer> batches = batches();
    Context eventLoop = vertx.getOrCreateContext();
    List<Future<Integer>> answers = submitOn(eventLoop, batches, List.of(1, 2, -3, 4));

    Await.until("the first statement started", () -> !statements.isEmpty());
    releaseFirstStatement(eventLoop);

    assertThat(Await.result(answers.get(0))).isEqualTo(2);
    assertThat(Await.result(answers.get(1))).isEqualTo(4);
    assertThat(Await.result(answers.get(3))).isEqualTo(8);
    Await.until("the bad item is answered", () -> answers.get(2).isComplete());
    assertThat(answers.get(2).cause()).isInstanceOf(PgException.class);
    assertThat(statements).containsExactly(List.of(1), List.of(2, -3, 4), List.of(2), List.of(-3), List.of(4));
  }

  @Test
  void aBatchThatFailsForAnotherReasonFailsAllItsCallersWithoutMoreStatements() {
    EventLoopBatches<Integer, Integer> batches = batches();
    Context eventLoop = vertx.getOrCreateContext();
    List<Future<Integer>> answers = submitOn(eventLoop, batches, List.of(1, 2, 0, 4));

    Await.until("the first statement started", () -> !statements.isEmpty());
    releaseFirstStatement(eventLoop);

    Await.until("every caller is answered", () -> answers.stream().allMatch(Future::isComplete));
    assertThat(answers.get(0).succeeded()).isTrue();
    assertThat(answers.subList(1, 4)).allSatisfy(answer -> assertThat(answer.cause()).hasMessage("connection lost"));
    assertThat(statements).containsExactly(List.of(1), List.of(2, 0, 4));
  }

  @Test
  void eachEventLoopHasItsOwnBatches() {
    EventLoopBatches<Integer, Integer> batches = batches();
    firstStatement.complete();
    Await.result(submitOn(vertx.getOrCreateContext(), batches, List.of(1)).get(0));
    Await.result(submitOn(vertx.getOrCreateContext(), batches, List.of(2)).get(0));

    assertThat(statements).containsExactly(List.of(1), List.of(2));
  }

  /**
   * Lets the first statement finish from a task on {@code eventLoop}: queued behind the tasks that hand it the other
   * items, so those wait for the next statement (released from the test's thread, it could finish before they arrive).
   */
  private void releaseFirstStatement(Context eventLoop) {
    eventLoop.runOnContext(v -> firstStatement.complete());
  }

  /** Submits the items in this order from one task on {@code eventLoop}. */
  private static List<Future<Integer>> submitOn(Context eventLoop, EventLoopBatches<Integer, Integer> batches, List<Integer> items) {
    Promise<List<Future<Integer>>> submitted = Promise.promise();
    eventLoop.runOnContext(v -> {
      List<Future<Integer>> answers = new ArrayList<>();
      items.forEach(item -> answers.add(batches.submit(item)));
      submitted.complete(answers);
    });
    return Await.result(submitted.future());
  }
}
