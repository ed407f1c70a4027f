package com.smsgateway.db;

import com.smsgateway.domain.DomainFailure;
import io.micrometer.core.instrument.DistributionSummary;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Writes items in batches, one batch at a time: the items that arrive while a batch commits make up the next
 * one (at most {@code maxBatchSize}), so under load one commit serves many callers and an idle writer starts
 * at once. At most {@code maxQueued} items wait: beyond that a caller fails at once with 503 {@code overloaded}
 * (the database is not keeping up), rather than memory growing with every request. Each caller's future completes
 * only when the batch holding its item has committed. State lives on one Vert.x context; callers on any thread are
 * moved onto it. {@link EventLoopBatches} keeps one per event loop.
 *
 * @param <I> an item to write
 * @param <O> what the write answers for one item
 */
public final class GroupCommit<I, O> {
  private record Waiter<I, O>(I item, Promise<O> result) {}

  private final Context context;
  private final int maxBatchSize;
  private final int maxQueued;
  private final long lingerMillis;
  /** Writes the items in one transaction and answers one result per item, in the items' order. */
  private final Function<List<I>, Future<List<O>>> writeBatch;
  private final DistributionSummary batchSizes;
  private final ArrayDeque<Waiter<I, O>> waiting = new ArrayDeque<>();
  private boolean writing;
  private boolean lingering;

  /**
   * {@code linger}: how long an idle writer waits after the first item before writing, so that more join it (for
   * writes no client waits on); zero writes at once.
   */
  public GroupCommit(Context context, int maxBatchSize, int maxQueued, Duration linger, Function<List<I>, Future<List<O>>> writeBatch,
                     DistributionSummary batchSizes) {
    this.context = context;
    this.maxBatchSize = maxBatchSize;
    this.maxQueued = maxQueued;
    this.lingerMillis = linger.toMillis();
    this.writeBatch = writeBatch;
    this.batchSizes = batchSizes;
  }

  public Future<O> submit(I item) {
    Promise<O> result = Promise.promise();
    context.runOnContext(v -> {
      if (waiting.size() >= maxQueued) {
        result.fail(DomainFailure.unavailable("overloaded",
            "Too many writes are waiting for the database on this replica; retry after the Retry-After delay."));
        return;
      }
      waiting.add(new Waiter<>(item, result));
      if (lingerMillis == 0 || writing || waiting.size() >= maxBatchSize) {
        writeNext();
      } else if (!lingering) {
        lingering = true;
        context.owner().setTimer(lingerMillis, tick -> {
          lingering = false;
          writeNext();
        });
      }
    });
    return result.future();
  }

  private void writeNext() {
    if (writing || waiting.isEmpty()) {
      return;
    }
    List<Waiter<I, O>> batch = new ArrayList<>(Math.min(waiting.size(), maxBatchSize));
    while (!waiting.isEmpty() && batch.size() < maxBatchSize) {
      batch.add(waiting.poll());
    }
    writing = true;
    batchSizes.record(batch.size());
    Future.<Void>succeededFuture()
        .compose(v -> writeBatch.apply(batch.stream().map(Waiter::item).toList()))
        .onComplete(written -> {
          writing = false;
          writeNext();
          complete(batch, written);
        });
  }

  private static <I, O> void complete(List<Waiter<I, O>> batch, AsyncResult<List<O>> written) {
    for (int i = 0; i < batch.size(); i++) {
      if (written.succeeded()) {
        batch.get(i).result().complete(written.result().get(i));
      } else {
        batch.get(i).result().fail(written.cause());
      }
    }
  }
}
