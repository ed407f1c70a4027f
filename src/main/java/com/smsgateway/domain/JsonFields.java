package com.smsgateway.domain;

import io.vertx.core.json.JsonObject;

/** Reading fields of a JSON request, with the 422 {@code invalid_field} failures every feature answers. */
public final class JsonFields {
  private JsonFields() {}

  public static String requiredString(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (!(value instanceof String text) || text.isBlank()) {
      throw DomainFailure.invalidField(field, value == null ? "is required" : "must be a non-empty string");
    }
    return text;
  }

  public static String optionalString(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw DomainFailure.invalidField(field, "must be a string");
    }
    return (String) value;
  }
}
