package com.smsgateway.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Limiter checks per second from one process against one Redis, with a fixed number of checks in flight.
 * Not a test (surefire ignores the name); run it with {@code load-tests/limiter/run.sh}.
 *
 * <p>Arguments: Redis URL (or the comma-separated URLs of a Cluster's masters), checks in flight, measured checks, brands (keys are spread over them; 1 = one hot
 * brand), connection pool size. Every check is allowed (the tier's limits are out of reach), so each one runs the
 * full charge path of the script, with the recipient's carrier from the brand's cache.
 */
public final class LimiterBenchmark {
  private static final TierLimits UNLIMITED = new TierLimits("bench", Long.MAX_VALUE / 4, Long.MAX_VALUE / 4,
      Long.MAX_VALUE / 4);
  /** Few recipients: the warm-up puts each in every brand's carrier cache, as on a gateway texting known people. */
  private static final int RECIPIENTS = 30;
  private static final String RECIPIENT_PREFIX = "+141555501";

  private LimiterBenchmark() {}

  public static void main(String[] args) throws Exception {
    String redisUrl = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
    int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int checks = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
    int brands = args.length > 3 ? Integer.parseInt(args[3]) : 1_000;
    int poolSize = args.length > 4 ? Integer.parseInt(args[4]) : Math.min(inFlight, 32);

    Vertx vertx = Vertx.vertx();
    // Several comma-separated URLs: the masters of a Redis Cluster (load-tests/limiter/run.sh with REDIS_MODE=cluster).
    RedisOptions options = new RedisOptions().setMaxPoolSize(poolSize).setMaxPoolWaiting(inFlight * 2);
    List.of(redisUrl.split(",")).forEach(options::addConnectionString);
    if (redisUrl.contains(",")) {
      options.setType(RedisClientType.CLUSTER);
    }
    Redis redis = Redis.createClient(vertx, options);
    String prefix = "bench:" + UUID.randomUUID().toString().substring(0, 8) + ":";
    SegmentLimiter limiter = new SegmentLimiter(redis, prefix,
        RateLimitConfig.of(RateLimitConfig.DEFAULT_CARRIER_DAY_ZONE, UNLIMITED), Duration.ofHours(1), Clock.systemUTC());
    try {
      run(limiter, inFlight, checks / 10, brands, new long[checks / 10]); // warm-up: JIT, pool, script cache
      long[] latencies = new long[checks];
      long started = System.nanoTime();
      run(limiter, inFlight, checks, brands, latencies);
      double seconds = (System.nanoTime() - started) / 1e9;
      Arrays.sort(latencies);
      System.out.printf("limiter: in-flight=%d pool=%d brands=%d checks=%d -> %.0f checks/s, latency p50=%.2f ms"
              + " p99=%.2f ms max=%.2f ms%n", inFlight, poolSize, brands, checks, checks / seconds,
          millis(latencies, 0.50), millis(latencies, 0.99), latencies[latencies.length - 1] / 1e6);
    } finally {
      redis.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Runs {@code total} checks, keeping {@code inFlight} outstanding, and records each one's latency. */
  private static void run(SegmentLimiter limiter, int inFlight, int total, int brands, long[] latencies)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < inFlight; lane++) {
      Promise<Void> done = Promise.promise();
      lane(limiter, next, total, brands, latencies, done);
      lanes.add(done.future());
    }
    Future.all(lanes).await(10, TimeUnit.MINUTES);
  }

  private static void lane(SegmentLimiter limiter, AtomicInteger next, int total, int brands, long[] latencies,
      Promise<Void> done) {
    int index = next.getAndIncrement();
    if (index >= total) {
      done.complete();
      return;
    }
    long started = System.nanoTime();
    String recipient = RECIPIENT_PREFIX + String.format("%02d", index % RECIPIENTS);
    limiter.tryCharge("b" + index % brands, UNLIMITED.name(), recipient, 1 + index % 3, LimiterBenchmark::carrierOf)
        .onComplete(result -> {
          if (result.failed()) {
            done.fail(result.cause());
            return;
          }
          latencies[index] = System.nanoTime() - started;
          lane(limiter, next, total, brands, latencies, done);
        });
  }

  /** A third of the recipients are on T-Mobile. */
  private static Future<CarrierGroup> carrierOf(String recipient) {
    int number = Integer.parseInt(recipient.substring(RECIPIENT_PREFIX.length()));
    return Future.succeededFuture(number % 3 == 0 ? CarrierGroup.TMOBILE : CarrierGroup.OTHER);
  }

  private static double millis(long[] sorted, double quantile) {
    return sorted[(int) Math.min(sorted.length - 1, Math.round(quantile * sorted.length))] / 1e6;
  }
}
