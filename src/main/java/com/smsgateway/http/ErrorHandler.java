package com.smsgateway.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import com.smsgateway.domain.DomainFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
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
    Idempotency.releaseFailed(ctx).onComplete(released -> {
      if (ctx.response().headWritten()) {
        ctx.response().reset();
        return;
      }
      ctx.response()
          .setStatusCode(error.status())
          .putHeader("Content-Type", "application/json")
          .end(error.toJson().encode());
    });
  }

  /** The one mapping of domain failure kinds to HTTP status codes. */
  static int status(DomainFailure.Kind kind) {
    return switch (kind) {
      case MALFORMED -> 400;
      case UNAUTHENTICATED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case TOO_LARGE -> 413;
      case UNSUPPORTED_MEDIA_TYPE -> 415;
      case INVALID -> 422;
      case LIMITED -> 429;
      case UPSTREAM_FAILED -> 502;
      case UNAVAILABLE -> 503;
    };
  }

  static ApiError toApiError(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiError apiError) {
      return apiError;
    }
    if (failure instanceof DomainFailure domain) {
      JsonObject details = domain.details().copy();
      if (domain.field() != null) {
        details.put("field", domain.field());
      }
      return new ApiError(status(domain.kind()), domain.code(), domain.getMessage(), details);
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
