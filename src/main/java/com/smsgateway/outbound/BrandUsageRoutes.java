package com.smsgateway.outbound;

import com.smsgateway.auth.Principal;
import com.smsgateway.http.Json;
import com.smsgateway.http.Routes;
import com.smsgateway.ratelimit.BrandUsage;
import com.smsgateway.ratelimit.LimitUsage;
import com.smsgateway.ratelimit.SegmentLimit;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /v1/brands/{id}/usage}: a brand's segments used and remaining per limit, now. */
final class BrandUsageRoutes implements Routes {
  private final BrandResolver brands;
  private final SegmentCharger charger;

  BrandUsageRoutes(BrandResolver brands, SegmentCharger charger) {
    this.brands = brands;
    this.charger = charger;
  }

  @Override
  public void mount(Router router) {
    router.get("/v1/brands/:brand_id/usage").handler(this::usage);
  }

  /** A workspace key reads its own workspace's brand only; the pool's brand and others' answer 404. */
  private void usage(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    String brandId = ctx.pathParam("brand_id");
    String description = "Brand '" + brandId + "'";
    brands.find(brandId)
        .map(found -> principal.requireVisible(found, brand -> brand.workspaceId().orElse(null), description))
        .compose(charger::usage)
        .onSuccess(usage -> Json.respond(ctx, 200, toJson(usage)))
        .onFailure(ctx::fail);
  }

  private static JsonObject toJson(BrandUsage usage) {
    JsonObject limits = new JsonObject();
    for (SegmentLimit limit : usage.budgets().limits()) {
      LimitUsage used = usage.budgets().of(limit);
      limits.put(limit.code(), new JsonObject().put("limit", used.limit()).put("used", used.used()).put("remaining", used.remaining()));
    }
    return new JsonObject()
        .put("brand_id", usage.brandId())
        .put("tier", usage.tier())
        .put("carrier_day", usage.carrierDay().toString())
        .put("resets_at", usage.resetsAt().toString())
        .put("limits", limits);
  }
}
