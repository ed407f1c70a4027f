package com.smsgateway.http;

import com.smsgateway.domain.DomainFailure;
import com.smsgateway.domain.JsonFields;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reading JSON request bodies and writing JSON responses, with the errors of DESIGN.md §3. */
public final class Json {
  private Json() {}

  /** The body as a JSON object: 400 {@code malformed_json} when it is not one. */
  public static JsonObject body(RoutingContext ctx) {
    var body = ctx.body();
    if (body == null || body.buffer() == null || body.length() == 0) {
      throw DomainFailure.malformed("malformed_json", "A JSON object body is required.");
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(body.buffer());
    } catch (io.vertx.core.json.DecodeException e) {
      throw DomainFailure.malformed("malformed_json", "The request body is not valid JSON.");
    }
    if (!(parsed instanceof JsonObject object)) {
      throw DomainFailure.malformed("malformed_json", "The request body must be a JSON object.");
    }
    if (containsNul(object)) {
      // PostgreSQL's text and jsonb cannot hold NUL: refused here rather than failing deep in a store.
      throw DomainFailure.malformed("malformed_json", "JSON strings may not contain NUL (\\u0000).");
    }
    return object;
  }

  private static boolean containsNul(Object value) {
    if (value instanceof String text) {
      return text.indexOf('\0') >= 0;
    }
    if (value instanceof JsonObject object) {
      return object.fieldNames().stream().anyMatch(name -> name.indexOf('\0') >= 0 || containsNul(object.getValue(name)));
    }
    if (value instanceof io.vertx.core.json.JsonArray array) {
      return array.stream().anyMatch(Json::containsNul);
    }
    return false;
  }

  /** {@link JsonFields#requiredString}, for routes. */
  public static String requiredString(JsonObject body, String field) {
    return JsonFields.requiredString(body, field);
  }

  /** {@link JsonFields#optionalString}, for routes. */
  public static String optionalString(JsonObject body, String field) {
    return JsonFields.optionalString(body, field);
  }

  /** Sends {@code body} as JSON with {@code status}. */
  public static void respond(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(io.vertx.core.json.Json.encodeToBuffer(body));
  }
}
