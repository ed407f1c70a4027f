package com.smsgateway.outbound;

import com.smsgateway.db.EventLoopBatches;
import com.smsgateway.messages.MessageStore;
import com.smsgateway.numbers.SmsNumberStore;
import com.smsgateway.feature.Feature;
import com.smsgateway.feature.Services;
import com.smsgateway.http.Routes;
import com.smsgateway.ratelimit.CarrierLookup;
import com.smsgateway.ratelimit.RateLimitConfig;
import com.smsgateway.ratelimit.SegmentLimiter;
import com.smsgateway.redis.RedisScript;
import com.smsgateway.twilio.TwilioWebhookVerifier;
import io.vertx.core.Deployable;
import java.time.Clock;
import java.util.List;

/**
 * Outbound texts, assembled: the pipeline every sender uses, the brands it charges, the sender that talks to
 * Twilio, status callbacks, and the API routes (messages, segments, brand usage).
 */
public final class OutboundFeature implements Feature {
  /** {@code ratelimit.pool_brand.workspace_daily_segments}: each workspace's daily share of the pool brand. */
  static final long DEFAULT_POOL_WORKSPACE_DAILY_SEGMENTS = 1000;
  private final OutboundPipeline pipeline;
  private final BrandResolver brands;
  private final List<Routes> routes;
  private final List<Deployable> workers;
  private final WorkspaceSendingNumbers ownNumbers;

  private OutboundFeature(OutboundPipeline pipeline, BrandResolver brands, WorkspaceSendingNumbers ownNumbers, List<Routes> routes,
                          List<Deployable> workers) {
    this.pipeline = pipeline;
    this.brands = brands;
    this.ownNumbers = ownNumbers;
    this.routes = routes;
    this.workers = workers;
  }

  /** Reads {@code outbound.*} and {@code ratelimit.*}; a bad value fails here, before the gateway serves. */
  public static OutboundFeature create(Services services, SmsNumberStore numbers, ConfiguredBrandResolver.RegisteredTiers registeredTiers) {
    var config = services.config();
    OutboundConfig outbound = OutboundConfig.from(config.source(), services.twilioConfig());
    RateLimitConfig limits = RateLimitConfig.from(config.source());
    BrandResolver brands = ConfiguredBrandResolver.from(config.source(), limits, registeredTiers);
    String keyPrefix = config.redis().keyPrefix();
    SegmentCharger charger = new SegmentCharger(
        new SegmentLimiter(services.redis(), keyPrefix + "limits:", limits, outbound.carrierCacheTtl(), Clock.systemUTC(),
            new RedisScript.WriteReplication(config.redis().waitReplicas(), config.redis().waitTimeout())),
        new CarrierLookup(services.vertx(), services.pg(), EventLoopBatches.BatchLimits.forRequests(config.source()), services.twilioApi(), services.twilioAccounts().platform(), outbound.carrierCacheTtl(),
            services.registry()),
        config.source().at("ratelimit").longValue("pool_brand.workspace_daily_segments", DEFAULT_POOL_WORKSPACE_DAILY_SEGMENTS, 1),
        services.registry());
    MessageStore store = services.messages();
    OutboundMetrics metrics = new OutboundMetrics(services.registry());
    OutboundPipeline pipeline = new OutboundPipeline(services.vertx(), store, services.optOuts(), charger, outbound, metrics);
    TwilioWebhookVerifier verifier = new TwilioWebhookVerifier(services.twilioAccounts(), config.publicBaseUrl(),
        TwilioWebhookVerifier.Limits.from(config.source()), services.registry(), "status");
    WorkspaceSendingNumbers ownNumbers = new WorkspaceSendingNumbers(numbers, services.twilioAccounts(), brands);
    List<Routes> routes = List.of(
        new MessageRoutes(pipeline, store, ownNumbers),
        new StatusCallbackRoutes(verifier, store, metrics),
        new SegmentRoutes(),
        new BrandUsageRoutes(brands, charger));
    OutboundAttempts attempts = new OutboundAttempts(store, services.twilioAccounts(), charger, outbound, metrics);
    List<Deployable> workers = List.of(
        new OutboundSendWorker(store, services.twilioApi(), attempts, outbound, services.statusCallbackUrl(),
            services.registry(), Clock.systemUTC()),
        new OutboundReconcileWorker(store, services.twilioApi(), attempts, outbound, metrics,
            services.registry(), Clock.systemUTC()),
        new OutboundStatusRecheckWorker(store, services.twilioApi(), services.twilioAccounts(), outbound, metrics,
            services.registry(), Clock.systemUTC()));
    return new OutboundFeature(pipeline, brands, ownNumbers, routes, workers);
  }

  /** Where every text goes to be sent (in-call SMS, chat replies, the API). */
  public OutboundPipeline pipeline() {
    return pipeline;
  }

  /** The brand a sending number is charged to. */
  public BrandResolver brands() {
    return brands;
  }

  /** Senders for a workspace's own numbers: the one check that a workspace sends only from its numbers. */
  public WorkspaceSendingNumbers workspaceSendingNumbers() {
    return ownNumbers;
  }

  @Override
  public String name() {
    return "outbound";
  }

  @Override
  public List<Routes> routes() {
    return routes;
  }

  /** The replica's workers (sending, reconciling, status rechecks): deployed once; undeploying lets jobs under way finish. */
  @Override
  public List<Deployable> workers() {
    return workers;
  }
}
