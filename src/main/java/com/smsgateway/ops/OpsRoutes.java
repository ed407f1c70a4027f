package com.smsgateway.ops;

import com.smsgateway.http.Json;
import com.smsgateway.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.stream.Collectors;

/** Public operations endpoints: liveness, readiness (PostgreSQL, Redis, not shutting down), OpenAPI; metrics are on the management port. */
public final class OpsRoutes implements Routes {
  private final HealthChecks readiness;
  private final Buffer openApiDocument;

  public OpsRoutes(HealthChecks readiness, Buffer openApiDocument) {
    this.readiness = readiness;
    this.openApiDocument = openApiDocument;
  }

  @Override
  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> Json.respond(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
    router.get("/openapi.yaml").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/yaml")
        .end(openApiDocument));
  }

  private void ready(RoutingContext ctx) {
    Future<CheckResult> result = readiness.checkStatus();
    result.onComplete(done -> {
      CheckResult outcome = done.succeeded() ? done.result() : CheckResult.from("readiness", done.cause());
      List<CheckResult> checks = outcome.getChecks() == null ? List.of() : outcome.getChecks();
      JsonObject body = new JsonObject()
          .put("status", CheckResult.isUp(outcome) ? "UP" : "DOWN")
          .put("checks", checks.stream().map(OpsRoutes::describe).toList());
      if (CheckResult.isUp(outcome)) {
        Json.respond(ctx, 200, body);
        return;
      }
      String down = checks.stream().filter(c -> !CheckResult.isUp(c)).map(OpsRoutes::reason).collect(Collectors.joining("; "));
      body.put("error", new JsonObject().put("code", "not_ready").put("message", "Not ready: " + down));
      Json.respond(ctx, 503, body);
    });
  }

  private static JsonObject describe(CheckResult check) {
    JsonObject json = new JsonObject().put("id", check.getId()).put("status", CheckResult.isUp(check) ? "UP" : "DOWN");
    if (!CheckResult.isUp(check)) {
      json.put("reason", reason(check));
    }
    return json;
  }

  /** Which check is down and a fixed word for why, never a dependency's raw error text (hosts, users, versions). */
  private static String reason(CheckResult check) {
    JsonObject data = check.getData();
    String cause = check.getFailure() != null ? "unavailable"
        : data != null && data.getString("cause") != null ? data.getString("cause") : "down";
    return check.getId() + " (" + cause + ")";
  }
}
