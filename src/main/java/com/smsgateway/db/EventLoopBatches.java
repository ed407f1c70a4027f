package com.smsgateway.db;

import com.smsgateway.config.Config;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * One {@link GroupCommit} per event loop for a kind of write: a caller's item joins the batch of the event loop it
 * runs on, so concurrent requests on one event loop share one statement and one commit, and the event loops of a
 * replica write in parallel. The group commit is kept in the context's data, so it goes away with its context. Rows
 * per batch are recorded as {@code gateway_db_batch_size_rows{writer}}.
 *
 * @param <I> an item to write
 * @param <O> what the write answers for one item
 */
public final class EventLoopBatches<I, O> {
  private final Vertx vertx;
  private final String contextKey;
  private final BatchLimits limits;
  private final Function<List<I>, Future<List<AsyncResult<O>>>> writeBatch;
  private final DistributionSummary batchSizes;

  /**
   * {@code writeBatch} writes the items in one statement and answers one result per item, in the items' order. When
   * PostgreSQL refuses a batch of several for its data (SQLSTATE class 22 or 23: a value it cannot store, a violated
   * constraint), each item is written again on its own, so one bad item fails only its own caller; any other failure
   * (PostgreSQL down, a timeout) fails the batch's callers at once rather than multiplying statements.
   */
  public EventLoopBatches(Vertx vertx, String writer, BatchLimits limits, Function<List<I>, Future<List<O>>> writeBatch,
                          MeterRegistry registry) {
    this.vertx = vertx;
    this.contextKey = EventLoopBatches.class.getName() + "." + writer;
    this.limits = limits;
    this.writeBatch = items -> writeBatch.apply(items)
        .<List<AsyncResult<O>>>map(written -> written.stream().<AsyncResult<O>>map(Future::succeededFuture).toList())
        .recover(failure -> items.size() > 1 && refusedForItsData(failure)
            ? oneByOne(writeBatch, items)
            : Future.succeededFuture(items.stream().<AsyncResult<O>>map(item -> Future.failedFuture(failure)).toList()));
    this.batchSizes = DistributionSummary.builder("gateway.db.batch.size")
        .description("Rows one batched statement wrote (or read), by writer: near 1 when idle, growing with concurrent load")
        .baseUnit("rows")
        .tag("writer", writer)
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
        .register(registry);
  }

  /** Completes when the batch holding {@code item} has committed; fails at once with 503 when too many wait. */
  public Future<O> submit(I item) {
    Context context = vertx.getOrCreateContext();
    GroupCommit<I, AsyncResult<O>> commits = context.get(contextKey);
    if (commits == null) {
      commits = new GroupCommit<>(context, limits.maxBatchSize(), limits.maxQueued(), limits.linger(), writeBatch, batchSizes);
      context.put(contextKey, commits);
    }
    return commits.submit(item).compose(written -> written.succeeded()
        ? Future.succeededFuture(written.result())
        : Future.failedFuture(written.cause()));
  }

  private static boolean refusedForItsData(Throwable failure) {
    return failure instanceof PgException refused && refused.getSqlState() != null
        && (refused.getSqlState().startsWith("22") || refused.getSqlState().startsWith("23"));
  }

  private static <I, O> Future<List<AsyncResult<O>>> oneByOne(Function<List<I>, Future<List<O>>> writeBatch, List<I> items) {
    List<Future<AsyncResult<O>>> each = items.stream()
        .map(item -> writeBatch.apply(List.of(item)).map(written -> written.get(0)).<AsyncResult<O>>transform(Future::succeededFuture))
        .toList();
    return Future.all(each).map(all -> each.stream().map(Future::result).toList());
  }

  /**
   * The most rows one statement writes, the most that may wait for it per event loop, and how long an idle writer
   * waits for more after the first ({@link GroupCommit}).
   */
  public record BatchLimits(int maxBatchSize, int maxQueued, Duration linger) {
    /**
     * For statements a request waits on (they start at once): {@code outbound.max_batch_size} and
     * {@code outbound.max_queued_rows}, which bound every batched statement on a text's way out.
     */
    public static BatchLimits forRequests(Config root) {
      Config outbound = root.at("outbound");
      return new BatchLimits(outbound.integer("max_batch_size", 128, 1, 10_000), outbound.integer("max_queued_rows", 2048, 1, 1_000_000),
          Duration.ZERO);
    }

    /** For writes that arrive one by one and no client waits on (status callbacks): they linger {@code outbound.batch_linger}. */
    public static BatchLimits forBackground(Config root) {
      BatchLimits limits = forRequests(root);
      return new BatchLimits(limits.maxBatchSize(), limits.maxQueued(), root.at("outbound").duration("batch_linger", Duration.ofMillis(20)));
    }
  }
}
