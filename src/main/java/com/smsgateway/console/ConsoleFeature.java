package com.smsgateway.console;

import com.smsgateway.feature.Feature;
import com.smsgateway.feature.Services;
import com.smsgateway.http.Routes;
import java.util.List;

/** The SMS console: its static pages and the one route it needs beside the public API ({@code GET /v1/whoami}). */
public final class ConsoleFeature implements Feature {
  private final ConsoleRoutes routes;

  private ConsoleFeature(ConsoleRoutes routes) {
    this.routes = routes;
  }

  public static ConsoleFeature create(Services services) {
    return new ConsoleFeature(new ConsoleRoutes(services.twilioConfig().sandbox()));
  }

  @Override
  public String name() {
    return "console";
  }

  @Override
  public List<Routes> routes() {
    return List.of(routes);
  }
}
