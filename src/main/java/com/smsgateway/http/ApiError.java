package com.smsgateway.http;

import io.vertx.core.json.JsonObject;

/**
 * A failure with its HTTP status and the common error body of DESIGN.md §3:
 * {@code {"error": {"code", "message", …details}}}. Thrown or failed anywhere; rendered in one place
 * ({@link ErrorHandler}).
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String code;
  private final JsonObject details;

  public ApiError(int status, String code, String message, JsonObject details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  public ApiError(int status, String code, String message) {
    this(status, code, message, new JsonObject());
  }

  public static ApiError badRequest(String code, String message) {
    return new ApiError(400, code, message);
  }

  public static ApiError unauthorized(String message) {
    return new ApiError(401, "unauthorized", message);
  }

  public static ApiError forbidden(String code, String message) {
    return new ApiError(403, code, message);
  }

  public static ApiError notFound(String what) {
    return new ApiError(404, "not_found", what + " was not found");
  }

  public static ApiError conflict(String code, String message) {
    return new ApiError(409, code, message);
  }

  /** Valid JSON but an unacceptable value; the message names the field. */
  public static ApiError invalidField(String field, String problem) {
    return new ApiError(422, "invalid_field", "'" + field + "' " + problem, new JsonObject().put("field", field));
  }

  public static ApiError unprocessable(String code, String message) {
    return new ApiError(422, code, message);
  }

  public static ApiError unavailable(String code, String message) {
    return new ApiError(503, code, message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public JsonObject toJson() {
    JsonObject error = new JsonObject().put("code", code).put("message", getMessage());
    details.forEach(entry -> error.put(entry.getKey(), entry.getValue()));
    return new JsonObject().put("error", error);
  }
}
