package com.smsgateway.auth;

import com.smsgateway.feature.Feature;
import com.smsgateway.http.Routes;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Optional;

/**
 * API keys, assembled: the one {@link ApiKeyStore} and its cache of active keys ({@link ActiveApiKeys}), the
 * {@link ApiKeyAuth} handler the HTTP edge puts in front of {@code /v1/**} (and the sandbox's admin routes), and the
 * {@code /v1/api-keys} routes.
 */
public final class ApiKeysFeature implements Feature {
  private final ApiKeyAuth auth;
  private final Routes routes;

  private ApiKeysFeature(ApiKeyAuth auth, Routes routes) {
    this.auth = auth;
    this.routes = routes;
  }

  /** Built before the other features: its {@link #auth()} is part of their shared services. */
  public static ApiKeysFeature create(Pool pg, Optional<String> bootstrapAdminKey, ApiKeysConfig config, MeterRegistry registry) {
    ApiKeyStore store = new ApiKeyStore(pg);
    ActiveApiKeys activeKeys = new ActiveApiKeys(store, config, registry);
    return new ApiKeysFeature(new ApiKeyAuth(activeKeys, bootstrapAdminKey), new ApiKeyRoutes(store, activeKeys, registry));
  }

  @Override
  public String name() {
    return "api_keys";
  }

  public ApiKeyAuth auth() {
    return auth;
  }

  @Override
  public List<Routes> routes() {
    return List.of(routes);
  }
}
