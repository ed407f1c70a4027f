package com.smsgateway.sandbox;

import com.smsgateway.feature.Feature;
import com.smsgateway.feature.Services;
import com.smsgateway.http.Routes;
import java.util.List;

/** The Twilio sandbox (sandbox mode only): the stand-in Twilio endpoints and the admin routes to steer it. */
public final class SandboxFeature implements Feature {
  private final Routes routes;

  private SandboxFeature(Routes routes) {
    this.routes = routes;
  }

  public static SandboxFeature create(Services services) {
    return new SandboxFeature(new SandboxRoutes(services.vertx(), SandboxConfig.from(services.config().source()),
        services.twilioAccounts(), services.config().publicBaseUrl(), services.apiAuth()));
  }

  @Override
  public String name() {
    return "sandbox";
  }

  @Override
  public List<Routes> routes() {
    return List.of(routes);
  }
}
