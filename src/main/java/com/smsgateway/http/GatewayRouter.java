package com.smsgateway.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Builds the router: body limits, API-key auth on {@code /v1/**}, every feature's routes, one error handler. */
public final class GatewayRouter {
  private static final List<Integer> ERROR_STATUSES = List.of(400, 401, 403, 404, 405, 406, 413, 415, 500, 503);

  private GatewayRouter() {}

  public static Router create(Vertx vertx, RequestBodyReader bodies, Handler<RoutingContext> apiAuth, ErrorHandler errors, List<Routes> features) {
    Router router = Router.router(vertx);
    router.route().handler(new RequestGuard());
    router.route().handler(bodies);
    router.route("/v1/*").handler(apiAuth);
    features.forEach(feature -> feature.mount(router));
    router.route().failureHandler(errors);
    ERROR_STATUSES.forEach(status -> router.errorHandler(status, errors));
    return router;
  }
}
