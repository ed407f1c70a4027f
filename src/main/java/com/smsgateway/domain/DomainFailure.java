package com.smsgateway.domain;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Why a domain operation refused or could not do what was asked: a {@link Kind}, a stable snake_case {@code code}, a
 * message that says what to do, and the request {@code field} it is about when there is one. Domain code (stores,
 * segments, templates, numbers, rate limits, features' services) fails with this and knows nothing of HTTP; the HTTP
 * edge maps the kind to a status code in one place ({@code http.ErrorHandler}) and renders DESIGN.md §3's body
 * {@code {"error": {"code", "message", "field"?, …details}}}.
 */
public final class DomainFailure extends RuntimeException {

  /** What sort of refusal this is; the HTTP edge gives each kind its status code. */
  public enum Kind {
    /** The request cannot be read (400). */
    MALFORMED,
    /** No or an unknown credential (401). */
    UNAUTHENTICATED,
    /** The caller may not do this (403). */
    FORBIDDEN,
    /** No such thing, or not the caller's (404). */
    NOT_FOUND,
    /** Conflicts with the current state (409). */
    CONFLICT,
    /** Larger than accepted (413). */
    TOO_LARGE,
    /** A content type not accepted here (415). */
    UNSUPPORTED_MEDIA_TYPE,
    /** Readable, but a value is unacceptable (422). */
    INVALID,
    /** A limit was reached; {@code retry_at} says when to try again (429). */
    LIMITED,
    /** Something the gateway depends on failed in a way a retry will not fix (502). */
    UPSTREAM_FAILED,
    /** Something the gateway depends on is down or too slow; try again later (503). */
    UNAVAILABLE
  }

  private final Kind kind;
  private final String code;
  private final String field;
  private final JsonObject details;

  public DomainFailure(Kind kind, String code, String message, String field, JsonObject details) {
    super(message, null, false, false);
    this.kind = kind;
    this.code = code;
    this.field = field;
    this.details = details == null ? new JsonObject() : details;
  }

  public DomainFailure(Kind kind, String code, String message) {
    this(kind, code, message, null, null);
  }

  public static DomainFailure malformed(String code, String message) {
    return new DomainFailure(Kind.MALFORMED, code, message);
  }

  public static DomainFailure unauthenticated(String message) {
    return new DomainFailure(Kind.UNAUTHENTICATED, "unauthorized", message);
  }

  public static DomainFailure forbidden(String code, String message) {
    return new DomainFailure(Kind.FORBIDDEN, code, message);
  }

  public static DomainFailure notFound(String what) {
    return new DomainFailure(Kind.NOT_FOUND, "not_found", what + " was not found");
  }

  public static DomainFailure conflict(String code, String message) {
    return new DomainFailure(Kind.CONFLICT, code, message);
  }

  /** A value of {@code field} is unacceptable: 422 {@code invalid_field}; the message names the field. */
  public static DomainFailure invalidField(String field, String problem) {
    return new DomainFailure(Kind.INVALID, "invalid_field", "'" + field + "' " + problem, field, null);
  }

  /** An unacceptable request with its own code (e.g. {@code unsupported_country}), about {@code field} when not null. */
  public static DomainFailure invalid(String code, String message, String field) {
    return new DomainFailure(Kind.INVALID, code, message, field, null);
  }

  /** A limit was reached: {@code retryAt} is when the caller may try again. */
  public static DomainFailure limited(String code, String message, Instant retryAt, JsonObject details) {
    JsonObject withRetry = (details == null ? new JsonObject() : details.copy()).put("retry_at", retryAt.toString());
    return new DomainFailure(Kind.LIMITED, code, message, null, withRetry);
  }

  public static DomainFailure unavailable(String code, String message) {
    return new DomainFailure(Kind.UNAVAILABLE, code, message);
  }

  public Kind kind() {
    return kind;
  }

  public String code() {
    return code;
  }

  /** The request field this failure is about, or null. */
  public String field() {
    return field;
  }

  /** Extra fields of the error body (e.g. {@code retry_at}, {@code limit}, {@code chat_id}). */
  public JsonObject details() {
    return details;
  }

  /** A copy with more detail fields. */
  public DomainFailure with(String name, Object value) {
    return new DomainFailure(kind, code, getMessage(), field, details.copy().put(name, value));
  }
}
