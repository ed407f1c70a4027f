package com.smsgateway.calls;

import com.smsgateway.auth.Principal;
import com.smsgateway.http.Json;
import com.smsgateway.http.Routes;
import com.smsgateway.numbers.SmsNumberStore;
import com.smsgateway.outbound.Brand;
import com.smsgateway.outbound.BrandResolver;
import com.smsgateway.outbound.SenderKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v1/pool-usage} (admin): how much of the SMS-approved pool is in use now — the pool numbers that may
 * send, the calls holding a pinned pool number, and the pool brand whose budgets {@code /v1/brands/{id}/usage} shows.
 */
final class PoolUsageRoutes implements Routes {
  private final SmsNumberStore numbers;
  private final Redis redis;
  private final CallKeys keys;
  private final BrandResolver brands;
  private final Clock clock;

  PoolUsageRoutes(SmsNumberStore numbers, Redis redis, CallKeys keys, BrandResolver brands, Clock clock) {
    this.numbers = numbers;
    this.redis = redis;
    this.keys = keys;
    this.brands = brands;
    this.clock = clock;
  }

  @Override
  public void mount(Router router) {
    router.get("/v1/pool-usage").handler(this::usage);
  }

  private void usage(RoutingContext ctx) {
    Principal.of(ctx).requireAdmin();
    Future<List<String>> senders = numbers.poolSenders();
    // Calls whose expiry is still ahead: one that expired without being ended no longer holds its number.
    Future<Long> pinned = redis.send(Request.cmd(Command.ZCOUNT).arg(keys.pinsInUse()).arg("(" + clock.millis()).arg("+inf"))
        .map(count -> count.toLong());
    Future<Optional<Brand>> poolBrand = brands.brandOf(SenderKind.POOL, null, null);
    Future.all(senders, pinned, poolBrand)
        .onSuccess(all -> {
          JsonObject body = new JsonObject()
              .put("pool_numbers_enabled", senders.result().size())
              .put("calls_pinned", pinned.result());
          poolBrand.result().ifPresent(brand -> body.put("brand_id", brand.id()).put("tier", brand.tier()));
          Json.respond(ctx, 200, body);
        })
        .onFailure(ctx::fail);
  }
}
