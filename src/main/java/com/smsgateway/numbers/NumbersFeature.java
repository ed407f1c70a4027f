package com.smsgateway.numbers;

import com.smsgateway.feature.Feature;
import com.smsgateway.feature.Services;
import com.smsgateway.http.Routes;
import java.util.List;

/**
 * Numbers, assembled: the one {@link SmsNumberStore} of the replica (agent numbers and the SMS-approved pool), shared
 * with the features that send from or route by numbers, and the {@code /v1/pool-numbers} and {@code /v1/sms-numbers}
 * routes.
 */
public final class NumbersFeature implements Feature {
  private final SmsNumberStore store;

  private NumbersFeature(SmsNumberStore store) {
    this.store = store;
  }

  public static NumbersFeature create(Services services) {
    return new NumbersFeature(new SmsNumberStore(services.pg()));
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
    return List.of(new NumberRoutes(store));
  }
}
