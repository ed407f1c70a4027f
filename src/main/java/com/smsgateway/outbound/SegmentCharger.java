package com.smsgateway.outbound;

import com.smsgateway.domain.DomainFailure;
import com.smsgateway.messages.SegmentCharge;
import com.smsgateway.metrics.CounterFamily;
import com.smsgateway.ratelimit.BrandUsage;
import com.smsgateway.ratelimit.CarrierLookup;
import com.smsgateway.ratelimit.LimitDecision;
import com.smsgateway.ratelimit.LimitUsage;
import com.smsgateway.ratelimit.SegmentBudgets;
import com.smsgateway.ratelimit.SegmentLimit;
import com.smsgateway.ratelimit.SegmentLimiter;
import com.smsgateway.ratelimit.WorkspaceShare;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rate-limit step of the outbound pipeline: one atomic check-and-charge of the brand's budgets, for the
 * recipient's carrier (cached with the brand's budgets; looked up only for a recipient the brand's cache does not
 * know). Over a limit the text is refused with 429 {@code segment_limit_exceeded}, naming the limit and when it
 * refills. Measures the limiter and keeps each brand's remaining daily budgets as gauges.
 */
final class SegmentCharger {
  private static final List<SegmentLimit> DAILY_LIMITS = List.of(SegmentLimit.DAILY_TOTAL, SegmentLimit.DAILY_TMOBILE);

  private final SegmentLimiter limiter;
  private final CarrierLookup carriers;
  private final long poolWorkspaceDailySegments;
  private final MeterRegistry registry;
  private final Timer latency;
  private final CounterFamily rejections;
  /** Remaining segments by brand id and daily limit, as last seen by this replica. */
  private final Map<String, LimitGauges> remaining = new ConcurrentHashMap<>();

  /** @param poolWorkspaceDailySegments each workspace's daily share of a shared brand (one with no workspace: the pool's) */
  SegmentCharger(SegmentLimiter limiter, CarrierLookup carriers, long poolWorkspaceDailySegments, MeterRegistry registry) {
    this.limiter = limiter;
    this.carriers = carriers;
    this.poolWorkspaceDailySegments = poolWorkspaceDailySegments;
    this.registry = registry;
    this.latency = Timer.builder("gateway.ratelimit.latency")
        .description("Duration of one check-and-charge of a brand's segment budgets, with the carrier lookup when the brand's cache lacks it")
        .publishPercentileHistogram()
        .register(registry);
    this.rejections = CounterFamily.of(registry, "gateway.ratelimit.rejections",
        "Texts refused because a brand's segment budget (or a workspace's share of the pool brand) was short, by limit", null, "limit");
  }

  /**
   * Charges the brand, if there is one, and for a shared brand (the pool's) the sending workspace's share of it;
   * fails with a 429 {@code segment_limit_exceeded} when a budget is short.
   */
  Future<Optional<SegmentCharge>> charge(Optional<Brand> brand, String workspaceId, String toNumber, int segments) {
    if (brand.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    Brand charged = brand.get();
    Optional<WorkspaceShare> share = charged.workspaceId().isEmpty()
        ? Optional.of(new WorkspaceShare(workspaceId, poolWorkspaceDailySegments))
        : Optional.empty();
    long started = System.nanoTime();
    return limiter.tryCharge(charged.id(), charged.tier(), toNumber, segments, share, carriers::carrierOf).compose(decision -> {
      latency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      if (decision.carrierCached()) {
        carriers.countCacheHit();
      }
      observe(charged.id(), decision.budgets());
      return switch (decision) {
        case LimitDecision.Allowed allowed -> Future.succeededFuture(Optional.of(
            new SegmentCharge(charged.id(), charged.tier(), allowed.carrier(), segments, allowed.chargedAt(),
                share.map(WorkspaceShare::workspaceId))));
        case LimitDecision.Rejected rejected -> Future.failedFuture(limitExceeded(charged, rejected));
      };
    });
  }

  Future<Void> refund(SegmentCharge charge) {
    return limiter.refund(charge.brandId(), charge.tier(), charge.carrier(), charge.segments(), charge.chargedAt(),
        charge.shareWorkspaceId());
  }

  Future<BrandUsage> usage(Brand brand) {
    return limiter.usage(brand.id(), brand.tier()).onSuccess(usage -> observe(brand.id(), usage.budgets()));
  }

  private DomainFailure limitExceeded(Brand brand, LimitDecision.Rejected rejected) {
    rejections.with(rejected.limit().code()).increment();
    String limit = rejected.limit().code();
    String whose = rejected.limit() == SegmentLimit.WORKSPACE_POOL_DAILY
        ? "This workspace has used its daily share of the SMS pool's brand '" + brand.id() + "'"
        : "Brand '" + brand.id() + "' has too few segments left in its " + limit + " budget";
    return DomainFailure.limited("segment_limit_exceeded", whose + "; retry at " + rejected.retryAt() + ".", rejected.retryAt(),
        new JsonObject()
            .put("limit", limit)
            .put("brand_id", brand.id())
            .put("remaining", rejected.budgets().of(rejected.limit()).remaining()));
  }

  private void observe(String brandId, SegmentBudgets budgets) {
    for (SegmentLimit limit : DAILY_LIMITS) {
      LimitUsage usage = budgets.of(limit);
      remaining.computeIfAbsent(brandId + "/" + limit.code(), key -> new LimitGauges(registry, brandId, limit)).set(usage);
    }
  }

  /** A brand's remaining segments and the cap they count against, so use per brand can be shown and alerted on. */
  private static final class LimitGauges {
    private final AtomicLong remaining = new AtomicLong();
    private final AtomicLong cap = new AtomicLong();

    LimitGauges(MeterRegistry registry, String brandId, SegmentLimit limit) {
      Gauge.builder("gateway.ratelimit.remaining", remaining, AtomicLong::get)
          .description("Segments a brand has left today (carrier day), as last seen by this replica")
          .tag("brand", brandId)
          .tag("limit", limit.code())
          .register(registry);
      Gauge.builder("gateway.ratelimit.daily_limit", cap, AtomicLong::get)
          .description("The daily segment cap of a brand's tier that gateway_ratelimit_remaining counts down from")
          .tag("brand", brandId)
          .tag("limit", limit.code())
          .register(registry);
    }

    void set(LimitUsage usage) {
      remaining.set(usage.remaining());
      cap.set(usage.limit());
    }
  }
}
