package com.smsgateway.templates;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * A preset text with {@code {{variables}}}; {@code variables} are those in the text, in order of appearance, and
 * {@code types} the type each is declared with.
 */
public record SmsTemplate(String id, String text, List<String> variables, Map<String, VariableType> types) {
  public JsonObject toJson() {
    JsonObject variableTypes = new JsonObject();
    variables.forEach(name -> variableTypes.put(name, types.get(name).wire()));
    return new JsonObject().put("id", id).put("text", text).put("variables", variables).put("variable_types", variableTypes);
  }
}
