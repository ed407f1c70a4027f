package com.smsgateway.numbers;

import com.smsgateway.Services;
import com.smsgateway.http.Routes;
import com.smsgateway.ratelimit.RateLimitConfig;
import java.util.List;

/** Numbers, assembled: buying, bringing your own Twilio number, settings, deletion, the pool (DESIGN.md §8). */
public final class NumbersFeature {
  private final NumberRoutes routes;
  private final SmsNumberStore numbers;

  private NumbersFeature(NumberRoutes routes, SmsNumberStore numbers) {
    this.routes = routes;
    this.numbers = numbers;
  }

  /**
   * Reads {@code numbers.*}; {@code accounts} is the replica's account store (it must be the one in {@code services}),
   * {@code activeCalls} tells numbers serving a call.
   */
  public static NumbersFeature create(Services services, ByoTwilioAccounts accounts, ActiveCallNumbers activeCalls) {
    SmsNumberStore numbers = new SmsNumberStore(services.pg());
    NumberMetrics metrics = new NumberMetrics(services.registry());
    NumberService service = new NumberService(numbers, accounts, services.twilioApi(), activeCalls,
        NumbersConfig.from(services.config().source()), metrics, services.config().publicBaseUrl());
    NumberRoutes routes = new NumberRoutes(numbers, service, metrics,
        RateLimitConfig.from(services.config().source()).tiers().keySet(), services.twilioConfig().sandbox());
    return new NumbersFeature(routes, numbers);
  }

  public String name() {
    return "numbers";
  }

  public List<Routes> routes() {
    return List.of(routes);
  }

  public SmsNumberStore store() {
    return numbers;
  }
}
