package com.smsgateway.numbers;

import com.smsgateway.db.EventLoopBatches;
import com.smsgateway.feature.Feature;
import com.smsgateway.feature.Services;
import com.smsgateway.webhooks.WebhookSecrets;
import com.smsgateway.webhooks.WebhookUrlGuard;
import com.smsgateway.http.Routes;
import com.smsgateway.ratelimit.RateLimitConfig;
import java.util.List;

/**
 * Numbers, assembled: the one {@link SmsNumberStore} of the replica (agent numbers and the SMS-approved pool), shared
 * with the features that send from or route by numbers, and the routes to buy, bring (BYO Twilio), configure and
 * delete numbers and to manage the pool (DESIGN.md §8).
 */
public final class NumbersFeature implements Feature {
  private final SmsNumberStore store;
  private final NumberRoutes routes;

  private NumbersFeature(SmsNumberStore store, NumberRoutes routes) {
    this.store = store;
    this.routes = routes;
  }

  /**
   * Reads {@code numbers.*}; {@code accounts} is the replica's account store (the one in {@code services}),
   * {@code activeCalls} tells the numbers serving a call.
   */
  public static NumbersFeature create(Services services, ByoTwilioAccounts accounts, ActiveCallNumbers activeCalls) {
    NumbersConfig config = NumbersConfig.from(services.config().source());
    SmsNumberStore store = new SmsNumberStore(services.vertx(), services.pg(), config,
        EventLoopBatches.BatchLimits.forRequests(services.config().source()), services.registry());
    NumberMetrics metrics = new NumberMetrics(services.registry());
    NumberService service = new NumberService(services.vertx(), store, accounts, services.twilioApi(), activeCalls,
        config, metrics, services.config().publicBaseUrl());
    NumberRoutes routes = new NumberRoutes(store, service, metrics,
        RateLimitConfig.from(services.config().source()).tiers().keySet(),
        new WebhookUrlGuard(services.vertx(), services.twilioConfig().sandbox(), WebhookUrlGuard.SYSTEM_RESOLVER),
        new WebhookSecrets(services.pg()));
    return new NumbersFeature(store, routes);
  }

  @Override
  public String name() {
    return "numbers";
  }

  /** The replica's numbers store, for the features that send from or route by numbers. */
  public SmsNumberStore store() {
    return store;
  }

  @Override
  public List<Routes> routes() {
    return List.of(routes);
  }
}
