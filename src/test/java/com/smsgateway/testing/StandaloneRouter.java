package com.smsgateway.testing;

import com.smsgateway.dependency.DependencyFailures;
import com.smsgateway.dependency.DependencyHealth;
import com.smsgateway.http.ErrorHandler;
import com.smsgateway.http.ApiRouter;
import com.smsgateway.http.RequestBodyReader;
import com.smsgateway.http.Routes;
import com.smsgateway.twilio.TwilioWebhookVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;

/** The gateway's router around a few routes, with default bounds, no throttle and no idempotency, for tests that serve them without a whole gateway. */
public final class StandaloneRouter {
  private StandaloneRouter() {}

  public static Router create(Vertx vertx, Handler<RoutingContext> apiAuth, MeterRegistry registry, List<Routes> routes) {
    return ApiRouter.create(vertx,
        RequestBodyReader.create(1024 * 1024, Duration.ofSeconds(10), new TwilioWebhookVerifier.Limits(64 * 1024, 256)),
        apiAuth,
        router -> { },
        RoutingContext::next,
        new ErrorHandler(registry, new DependencyFailures(new DependencyHealth(registry)), Duration.ofSeconds(5)),
        routes);
  }
}
