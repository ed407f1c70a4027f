package com.smsgateway.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where every failure becomes a status code and the common JSON error body, and is counted. */
public final class ErrorHandler implements Handler<RoutingContext> {
  private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);
  private final MeterRegistry registry;

  public ErrorHandler(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Idempotency.releaseFailed(ctx);
    ApiError error = toApiError(ctx);
    if (error.status() >= 500 && ctx.failure() != null && !(ctx.failure() instanceof ApiError)) {
      log.error("Unhandled failure on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    Counter.builder("gateway.http.errors")
        .description("Requests answered with an error, by status and error code")
        .tag("status", Integer.toString(error.status()))
        .tag("code", error.code())
        .register(registry)
        .increment();
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response()
        .setStatusCode(error.status())
        .putHeader("Content-Type", "application/json")
        .end(error.toJson().encode());
  }

  static ApiError toApiError(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiError apiError) {
      return apiError;
    }
    if (failure instanceof DecodeException) {
      return ApiError.badRequest("malformed_json", "The request body is not valid JSON.");
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    return switch (status) {
      case 400 -> ApiError.badRequest("bad_request", "The request is malformed.");
      case 401 -> ApiError.unauthorized("Send 'Authorization: Bearer <api key>'.");
      case 403 -> ApiError.forbidden("forbidden", "This key may not do that.");
      case 404 -> ApiError.notFound("The route " + ctx.request().method() + " " + ctx.request().path());
      case 405 -> new ApiError(405, "method_not_allowed", ctx.request().method() + " is not allowed on " + ctx.request().path());
      case 406 -> new ApiError(406, "not_acceptable", "This route answers application/json.");
      case 413 -> new ApiError(413, "payload_too_large", "The request body is larger than this route accepts.");
      case 415 -> new ApiError(415, "unsupported_media_type",
          "Content-Type '" + ctx.request().getHeader("Content-Type") + "' is not accepted here; see /openapi.yaml.");
      case 503 -> ApiError.unavailable("not_ready", "The gateway is not ready; try again shortly.");
      default -> new ApiError(500, "internal_error", "Something went wrong on our side; the error was logged.");
    };
  }
}
