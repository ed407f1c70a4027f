package com.smsgateway.templates;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** A preset text with {@code {{variables}}}; {@code variables} are those in the text, in order of appearance. */
public record SmsTemplate(String id, String text, List<String> variables) {
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("text", text).put("variables", variables);
  }
}
