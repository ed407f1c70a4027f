package com.smsgateway.http;

import com.smsgateway.domain.DomainFailure;
import com.smsgateway.metrics.CounterFamily;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import com.smsgateway.dependency.DependencyFailures;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where every failure becomes a status code and the common JSON error body of DESIGN.md §3
 * ({@code {"error": {"code", "message", "field"?, …details}}}), and is counted. Domain code fails with a
 * {@link DomainFailure}; this maps its kind to a status. Failures Vert.x Web raises itself (no route, wrong
 * method, body too large, …) get their own codes here.
 */
public final class ErrorHandler implements Handler<RoutingContext> {
  private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);
  private final CounterFamily errors;
  private final DependencyFailures dependencies;
  private final String retryAfterSeconds;

  /** {@code retryAfter}: the {@code Retry-After} of every 503, so clients back off instead of hammering a sick dependency. */
  public ErrorHandler(MeterRegistry registry, DependencyFailures dependencies, Duration retryAfter) {
    this.errors = CounterFamily.of(registry, "gateway.http.errors", "Requests answered with an error, by status and error code", null,
        "status", "code");
    this.dependencies = dependencies;
    this.retryAfterSeconds = Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
  }

  /** An error answer: status, code, message and the extra fields of the body, in order. */
  private record HttpError(int status, String code, String message, JsonObject fields) {
    HttpError(int status, String code, String message) {
      this(status, code, message, new JsonObject());
    }

    JsonObject toJson() {
      JsonObject error = new JsonObject().put("code", code).put("message", message);
      fields.forEach(entry -> error.put(entry.getKey(), entry.getValue()));
      return new JsonObject().put("error", error);
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    Optional<DomainFailure> unavailable = dependencies.asUnavailable(ctx.failure());
    HttpError error = unavailable.map(ErrorHandler::toHttpError).orElseGet(() -> toHttpError(ctx));
    if (error.status() >= 500 && unavailable.isEmpty() && ctx.failure() != null && !(ctx.failure() instanceof DomainFailure)) {
      log.error("Unhandled failure on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    errors.with(Integer.toString(error.status()), error.code()).increment();
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (error.status() == 503) {
      ctx.response().putHeader("Retry-After", retryAfterSeconds);
    }
    ctx.response()
        .setStatusCode(error.status())
        .putHeader("Content-Type", "application/json")
        .end(error.toJson().encode());
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

  /** {@code field} follows the message, then the details in their order. */
  private static HttpError toHttpError(DomainFailure domain) {
    JsonObject fields = new JsonObject();
    if (domain.field() != null) {
      fields.put("field", domain.field());
    }
    domain.details().forEach(entry -> fields.put(entry.getKey(), entry.getValue()));
    return new HttpError(status(domain.kind()), domain.code(), domain.getMessage(), fields);
  }

  private static HttpError toHttpError(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof DomainFailure domain) {
      return toHttpError(domain);
    }
    if (failure instanceof DecodeException) {
      return new HttpError(400, "malformed_json", "The request body is not valid JSON.");
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    return switch (status) {
      case 400 -> new HttpError(400, "bad_request", "The request is malformed.");
      case 401 -> new HttpError(401, "unauthorized", "Send 'Authorization: Bearer <api key>'.");
      case 403 -> new HttpError(403, "forbidden", "This key may not do that.");
      case 404 -> new HttpError(404, "not_found", "The route " + ctx.request().method() + " " + ctx.request().path() + " was not found");
      case 405 -> new HttpError(405, "method_not_allowed", ctx.request().method() + " is not allowed on " + ctx.request().path());
      case 406 -> new HttpError(406, "not_acceptable", "This route answers application/json.");
      case 413 -> new HttpError(413, "payload_too_large", "The request body is larger than this route accepts.");
      case 415 -> new HttpError(415, "unsupported_media_type",
          "Content-Type '" + ctx.request().getHeader("Content-Type") + "' is not accepted here; see /openapi.yaml.");
      case 503 -> new HttpError(503, "not_ready", "The gateway is not ready; try again shortly.");
      default -> new HttpError(500, "internal_error", "Something went wrong on our side; the error was logged.");
    };
  }
}
