package com.smsgateway.ops;

import com.smsgateway.config.GatewayConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * The management port ({@code management.host}:{@code management.port}): {@code GET /metrics} in the Prometheus
 * text format, on a second HTTP server that the Kubernetes Service does not expose (Prometheus scrapes the pod), so
 * nothing about the replica's internals is reachable from outside the cluster.
 */
public final class ManagementServer extends VerticleBase {
  private final GatewayConfig.Management config;
  private final PrometheusMeterRegistry registry;
  private HttpServer server;

  public ManagementServer(GatewayConfig.Management config, PrometheusMeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    server = vertx.createHttpServer().requestHandler(router);
    return server.listen(config.port(), config.host());
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }

  /** The port it listens on (the chosen one when {@code management.port} is 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
