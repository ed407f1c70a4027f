package com.smsgateway.http;

import com.smsgateway.logging.RequestIds;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The HTTP edge of a replica, in order: the request id ({@code X-Request-Id}), body limits, API-key auth on {@code /v1/**}, idempotency of mutating
 * {@code POST /v1/**}, then every feature's routes, and one error handler for every failure.
 */
public final class ApiRouter {
  private static final List<Integer> ERROR_STATUSES = List.of(400, 401, 403, 404, 405, 406, 413, 415, 500, 503);

  private ApiRouter() {}

  /** {@code throttle} mounts its handlers right after API-key authentication (per-key rate, failed authentications). */
  public static Router create(Vertx vertx, RequestBodyReader bodies, Handler<RoutingContext> apiAuth, Routes throttle,
                              Handler<RoutingContext> idempotency, ErrorHandler errors, List<Routes> routes) {
    Router router = Router.router(vertx);
    router.route().handler(RequestIds.handler());
    router.route().handler(new RequestGuard());
    router.route().handler(bodies);
    router.route("/v1/*").handler(apiAuth);
    throttle.mount(router);
    router.post("/v1/*").handler(idempotency);
    routes.forEach(feature -> feature.mount(router));
    router.route().failureHandler(errors);
    ERROR_STATUSES.forEach(status -> router.errorHandler(status, errors));
    return router;
  }

  /** Serves {@code router}, preparing the requests whose response the idempotency handler may have to keep. */
  public static Handler<io.vertx.core.http.HttpServerRequest> serving(Router router) {
    return request -> router.handle(KeptResponse.capturing(request));
  }
}
