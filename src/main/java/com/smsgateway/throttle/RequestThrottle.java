package com.smsgateway.throttle;

import com.smsgateway.auth.Principal;
import com.smsgateway.domain.DomainFailure;
import com.smsgateway.http.Routes;
import com.smsgateway.redis.RedisScript;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throttles {@code /v1/**}, shared by all replicas through one Redis token bucket per subject:
 * <ul>
 *   <li>per API key: {@code http.rate_limit.per_key_per_second} sustained, {@code http.rate_limit.burst} at once;
 *       beyond it 429 {@code rate_limited} with {@code retry_at};</li>
 *   <li>failed authentications per client address: only failures take from the address's bucket, and once it is
 *       empty further failures answer 429 instead of 401; a valid key from the same address is never affected.</li>
 * </ul>
 * If Redis cannot be asked the request goes through: the throttle protects capacity, it is not an access control.
 */
public final class RequestThrottle implements Routes {
  private static final Logger log = LoggerFactory.getLogger(RequestThrottle.class);
  private final RedisScript tokenBucket = RedisScript.fromClasspath("/lua/token_bucket.lua");
  private final Redis redis;
  private final String keyPrefix;
  private final ThrottleConfig config;
  private final Clock clock;
  private final Counter keyThrottled;
  private final Counter failedAuthThrottled;
  private final Counter notChecked;

  /** Reads its Lua script: build it off the event loops. */
  public RequestThrottle(Redis redis, String keyPrefix, ThrottleConfig config, Clock clock, MeterRegistry registry) {
    this.redis = redis;
    this.keyPrefix = keyPrefix;
    this.config = config;
    this.clock = clock;
    this.keyThrottled = refused(registry, "api_key_rate");
    this.failedAuthThrottled = refused(registry, "failed_authentications");
    this.notChecked = Counter.builder("gateway.http.throttle.unchecked")
        .description("Requests let through unthrottled because Redis could not be asked")
        .register(registry);
  }

  private static Counter refused(MeterRegistry registry, String reason) {
    return Counter.builder("gateway.http.throttled")
        .description("Requests refused 429 rate_limited by the request throttle, by reason")
        .tag("reason", reason)
        .register(registry);
  }

  /** Mounted right after API-key authentication. */
  @Override
  public void mount(Router router) {
    router.route("/v1/*").handler(this::perKey);
    router.route("/v1/*").failureHandler(this::failedAuthentication);
  }

  private void perKey(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    take("{throttle:key:" + principal.keyId() + "}", config.perKeyPerSecond(), config.burst())
        .onSuccess(waitMillis -> {
          if (waitMillis == 0) {
            ctx.next();
          } else {
            keyThrottled.increment();
            ctx.fail(limited("This API key sends more than " + config.perKeyPerSecond() + " requests per second; retry at retry_at.",
                waitMillis, "api_key"));
          }
        })
        .onFailure(e -> letThrough(ctx, e));
  }

  /** A failure handler: an authentication failure takes from the address's bucket; when it is empty, 429. */
  private void failedAuthentication(RoutingContext ctx) {
    if (!(ctx.failure() instanceof DomainFailure failure) || failure.kind() != DomainFailure.Kind.UNAUTHENTICATED) {
      ctx.next();
      return;
    }
    SocketAddress address = ctx.request().remoteAddress();
    String client = address == null || address.hostAddress() == null ? "unknown" : address.hostAddress();
    take("{throttle:auth:" + client + "}", config.failedAuthPerMinute() / 60.0, config.failedAuthBurst())
        .onSuccess(waitMillis -> {
          if (waitMillis == 0) {
            ctx.next();
          } else {
            failedAuthThrottled.increment();
            ctx.fail(limited("Too many failed authentications from this address; retry at retry_at with a valid key.",
                waitMillis, "failed_authentications"));
          }
        })
        .onFailure(e -> {
          notChecked.increment();
          ctx.next();
        });
  }

  /** Takes one token; answers 0 when taken, else the milliseconds until one is back. */
  private Future<Long> take(String bucket, double perSecond, int burst) {
    return tokenBucket.run(redis, List.of(keyPrefix + bucket), List.of(Double.toString(perSecond), Integer.toString(burst), "1"))
        .map(RequestThrottle::waitMillis);
  }

  private static long waitMillis(Response answer) {
    return answer.get(0).toInteger() == 1 ? 0 : Math.max(1, answer.get(1).toLong());
  }

  private DomainFailure limited(String message, long waitMillis, String limit) {
    return DomainFailure.limited("rate_limited", message, Instant.now(clock).plusMillis(waitMillis), new JsonObject().put("limit", limit));
  }

  private void letThrough(RoutingContext ctx, Throwable e) {
    notChecked.increment();
    log.debug("Request throttle not checked: {}", e.toString());
    ctx.next();
  }
}
