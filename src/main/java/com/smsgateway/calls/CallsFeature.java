package com.smsgateway.calls;

import com.smsgateway.feature.Feature;
import com.smsgateway.feature.Services;
import com.smsgateway.http.Routes;
import com.smsgateway.inbound.InboundHandler;
import com.smsgateway.numbers.ActiveCallNumbers;
import com.smsgateway.numbers.SmsNumberStore;
import com.smsgateway.outbound.OutboundFeature;
import com.smsgateway.templates.TemplateCatalog;
import io.vertx.core.Deployable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-call SMS, assembled: the call registry and pool pins (Redis), the in-call SMS routes (agent or pool sender,
 * preset templates from the pool), the handler that takes texts received during a call, and their delivery to the
 * voice platform.
 */
public final class CallsFeature implements Feature {
  private static final Logger log = LoggerFactory.getLogger(CallsFeature.class);

  private final CallsConfig config;
  private final SmsNumberStore numbers;
  private final TemplateCatalog templates;
  private final CallRegistry registry;
  private final PoolPins pins;
  private final CallMetrics metrics;
  private final CallSessionDeliveries deliveries;
  private final CallKeys keys;
  private final CallNumbers callNumbers;
  private final Services services;
  private final OutboundFeature outbound;

  private CallsFeature(Services services, SmsNumberStore numbers, TemplateCatalog templates, OutboundFeature outbound,
                       CallsConfig config) {
    this.services = services;
    this.outbound = outbound;
    this.config = config;
    this.numbers = numbers;
    this.templates = templates;
    this.keys = new CallKeys(services.config().redis().keyPrefix());
    this.callNumbers = new CallNumbers(services.redis(), keys, Clock.systemUTC());
    this.registry = new CallRegistry(services.redis(), keys, config.maxDuration(), config.poolReuseCooldown(), Clock.systemUTC(), callNumbers);
    this.metrics = new CallMetrics(services.registry());
    this.pins = new PoolPins(services.redis(), keys, numbers, metrics, config.poolReuseCooldown(), callNumbers);
    this.deliveries = new CallSessionDeliveries(services.pg(), services.messages());
  }

  /** Fails start-up (a {@link com.smsgateway.config.ConfigException}) on a bad configuration. */
  public static CallsFeature create(Services services, SmsNumberStore numbers, TemplateCatalog templates, OutboundFeature outbound) {
    CallsFeature feature = new CallsFeature(services, numbers, templates, outbound, CallsConfig.from(services.config().source()));
    if (feature.config.sessions().url().isEmpty()) {
      log.warn("No call_sessions.url (GATEWAY_CALL_SESSIONS_URL): texts received during calls are kept, not delivered");
    }
    return feature;
  }

  @Override
  public String name() {
    return "calls";
  }

  @Override
  public List<Routes> routes() {
    return List.of(
        new CallRoutes(registry, numbers, metrics),
        new InCallSmsRoutes(registry, pins, outbound.workspaceSendingNumbers(), templates, services.messages(), services.twilioAccounts(),
            outbound.brands(), outbound.pipeline(), services.registry()),
        new PoolUsageRoutes(numbers, services.redis(), keys, outbound.brands(), Clock.systemUTC()));
  }

  /**
   * Whether a number serves an active call (numbers in use are not deleted). Redis alone, with the same key layout as
   * the calls feature: the numbers feature is built before it and asks through this.
   */
  public static ActiveCallNumbers activeCallNumbers(Services services) {
    return new CallNumbers(services.redis(), new CallKeys(services.config().redis().keyPrefix()), Clock.systemUTC());
  }

  /** Offered every inbound text first: takes those that belong to an active call. */
  @Override
  public List<InboundHandler> inboundHandlers() {
    return List.of(new CallSessionHandler(registry, deliveries, services.messages(), services.pg(), services.vertx(), services.registry()));
  }

  /** Pool gauges, and delivery to call sessions when a URL is configured. */
  @Override
  public List<Deployable> workers() {
    List<Deployable> verticles = new ArrayList<>();
    verticles.add(new PoolGaugesVerticle(numbers, deliveries, services.redis(), keys, metrics, config.gaugeRefresh(), Clock.systemUTC()));
    config.sessions().url().ifPresent(url ->
        verticles.add(new CallSessionDeliveryWorker(config.sessions(), url, deliveries, services.registry(), Clock.systemUTC())));
    return verticles;
  }
}
