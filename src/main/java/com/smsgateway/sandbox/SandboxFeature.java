package com.smsgateway.sandbox;

import com.smsgateway.feature.Feature;
import com.smsgateway.feature.Services;
import com.smsgateway.http.Routes;
import io.vertx.core.Deployable;
import java.util.List;

/**
 * The Twilio sandbox (sandbox mode only): the stand-in Twilio endpoints and the admin routes to steer it, served on
 * every event loop, and the one {@link SandboxTwilio} verticle that holds its state and answers them.
 */
public final class SandboxFeature implements Feature {
  private final Routes routes;
  private final Deployable sandbox;

  private SandboxFeature(Routes routes, Deployable sandbox) {
    this.routes = routes;
    this.sandbox = sandbox;
  }

  public static SandboxFeature create(Services services) {
    return new SandboxFeature(new SandboxRoutes(services.twilioAccounts(), services.apiAuth()),
        new SandboxTwilio(SandboxConfig.from(services.config().source()), services.config().publicBaseUrl(),
            services.twilioAccounts().platform(), services.registry()));
  }

  @Override
  public String name() {
    return "sandbox";
  }

  @Override
  public List<Routes> routes() {
    return List.of(routes);
  }

  @Override
  public List<Deployable> workers() {
    return List.of(sandbox);
  }
}
