package com.smsgateway.http;

import com.smsgateway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import io.vertx.core.Vertx;

/** One HTTP server per event loop (Vert.x shares the port); undeploying drains in-flight requests. */
public final class HttpVerticle extends VerticleBase {
  private final GatewayConfig config;
  private final Function<Vertx, Router> routerFactory;
  private HttpServer server;
  private Router router;

  public HttpVerticle(GatewayConfig config, Function<Vertx, Router> routerFactory) {
    this.config = config;
    this.routerFactory = routerFactory;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port())
        .setCompressionSupported(true)
        // Forms are decoded by RequestBodyReader (bounded, only where forms are taken), never by Netty's decoder.
        .setIdleTimeout((int) config.http().idleTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setTcpNoDelay(true));
    router = routerFactory.apply(vertx);
    return server.requestHandler(ApiRouter.serving(router)).invalidRequestHandler(RequestGuard::invalidRequest).listen();
  }

  /** Stops accepting, lets in-flight requests finish within the drain timeout, then closes connections. */
  @Override
  public Future<?> stop() {
    return server.shutdown(config.shutdown().drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** "METHOD path" of every endpoint (wildcard middleware such as auth left out), to check the OpenAPI document against. */
  public java.util.List<String> routeSignatures() {
    return router.getRoutes().stream()
        .filter(route -> route.getPath() != null && route.isExactPath() && route.methods() != null)
        .flatMap(route -> route.methods().stream().map(method -> method.name() + " " + route.getPath()))
        .distinct()
        .toList();
  }

  public int actualPort() {
    return server.actualPort();
  }
}
