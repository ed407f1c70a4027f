package com.smsgateway.templates;

import com.smsgateway.config.ConfigException;
import com.smsgateway.domain.DomainFailure;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The preset templates of {@code conf/templates.yaml}, validated when loaded: a bad file stops start-up with a
 * message naming the template. Pool numbers may only send these (they are approved for these texts alone), so
 * rendering is strict: every variable of the text is required, no other is accepted, and each value is held to the
 * variable's declared {@link VariableType} (one pass, so a value that looks like {@code {{x}}} stays literal).
 */
public final class TemplateCatalog {
  public static final String FILE_KEY = "templates.file";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z][a-z0-9_]{0,63})\\s*}}");
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  private static final Set<String> TEMPLATE_FIELDS = Set.of("id", "text", "variables");

  private final Map<String, SmsTemplate> byId;
  private final int maxVariableLength;

  private TemplateCatalog(Map<String, SmsTemplate> byId, int maxVariableLength) {
    this.byId = byId;
    this.maxVariableLength = maxVariableLength;
  }

  /** Reads and checks {@code file}: a blocking read, refused on an event loop (the gateway loads it at assembly). */
  public static TemplateCatalog load(Path file, int maxVariableLength) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("Templates read on an event loop; load them off the loop (at assembly)");
    }
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(FILE_KEY, "cannot read " + file.toAbsolutePath() + ": " + e.getMessage());
    }
    return parse(yaml, maxVariableLength);
  }

  /** {@code {templates: [{id, text, variables: {name: text | url, …}}, …]}}. */
  public static TemplateCatalog parse(String yaml, int maxVariableLength) {
    Object root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    } catch (RuntimeException e) {
      throw new ConfigException(FILE_KEY, "the YAML does not parse: " + e.getMessage());
    }
    if (!(root instanceof Map<?, ?> document) || !(document.get("templates") instanceof List<?> entries)) {
      throw new ConfigException(FILE_KEY, "the file must hold a 'templates' list of {id, text, variables}");
    }
    Map<String, SmsTemplate> byId = new LinkedHashMap<>();
    for (int index = 0; index < entries.size(); index++) {
      SmsTemplate template = template(entries.get(index), index);
      if (byId.putIfAbsent(template.id(), template) != null) {
        throw invalid(template.id(), "is defined twice");
      }
    }
    return new TemplateCatalog(Collections.unmodifiableMap(byId), maxVariableLength);
  }

  private static SmsTemplate template(Object entry, int index) {
    if (!(entry instanceof Map<?, ?> fields)) {
      throw invalid("#" + (index + 1), "must be a mapping with 'id', 'text' and 'variables'");
    }
    if (!(fields.get("id") instanceof String id) || !ID.matcher(id).matches()) {
      throw invalid("#" + (index + 1), "needs an 'id' of lower-case letters, digits and _ (starting with a letter)");
    }
    for (Object field : fields.keySet()) {
      if (!TEMPLATE_FIELDS.contains(String.valueOf(field))) {
        throw invalid(id, "has an unknown field '" + field + "' (only 'id', 'text' and 'variables')");
      }
    }
    if (!(fields.get("text") instanceof String text) || text.isBlank()) {
      throw invalid(id, "needs a non-empty 'text'");
    }
    Set<String> variables = new LinkedHashSet<>();
    Matcher placeholders = PLACEHOLDER.matcher(text);
    while (placeholders.find()) {
      variables.add(placeholders.group(1));
    }
    String withoutPlaceholders = PLACEHOLDER.matcher(text).replaceAll("");
    if (withoutPlaceholders.contains("{{") || withoutPlaceholders.contains("}}")) {
      throw invalid(id, "has a malformed placeholder: write {{name}} with a lower-case name of letters, digits and _");
    }
    return new SmsTemplate(id, text, List.copyOf(variables), types(id, fields.get("variables"), variables));
  }

  /** Every variable of the text declared with its type, and nothing else: an undeclared type would fail open. */
  private static Map<String, VariableType> types(String id, Object declared, Set<String> variables) {
    if (declared == null && variables.isEmpty()) {
      return Map.of();
    }
    if (!(declared instanceof Map<?, ?> entries)) {
      throw invalid(id, "needs 'variables': a mapping of each {{variable}} of its text to its type (text or url)");
    }
    Map<String, VariableType> types = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : entries.entrySet()) {
      String name = String.valueOf(entry.getKey());
      if (!variables.contains(name)) {
        throw invalid(id, "declares the variable '" + name + "', which its text does not use");
      }
      try {
        types.put(name, VariableType.fromWire(String.valueOf(entry.getValue())));
      } catch (IllegalArgumentException e) {
        throw invalid(id, "gives the variable '" + name + "' the type '" + entry.getValue() + "'; the types are text and url");
      }
    }
    for (String name : variables) {
      if (!types.containsKey(name)) {
        throw invalid(id, "does not declare the type of its variable '" + name + "' (text or url) under 'variables'");
      }
    }
    return Collections.unmodifiableMap(types);
  }

  private static ConfigException invalid(String template, String problem) {
    return new ConfigException(FILE_KEY, "template '" + template + "' " + problem);
  }

  public List<SmsTemplate> templates() {
    return List.copyOf(byId.values());
  }

  /**
   * The template's text with {@code variables} filled in: 422 {@code unknown_template}, {@code missing_template_variable}
   * or {@code unexpected_template_variable} naming what is wrong, or {@code invalid_field} for a bad value.
   */
  public String render(String templateId, JsonObject variables) {
    SmsTemplate template = byId.get(templateId);
    if (template == null) {
      throw new DomainFailure(DomainFailure.Kind.INVALID, "unknown_template", "There is no template '" + templateId + "'; GET /v1/sms-templates lists them.", null,
          new JsonObject().put("template_id", templateId));
    }
    JsonObject given = variables == null ? new JsonObject() : variables;
    for (String name : given.fieldNames()) {
      if (!template.variables().contains(name)) {
        throw variableError("unexpected_template_variable", template, name,
            "Template '" + template.id() + "' has no variable '" + name + "'; its variables are " + template.variables() + ".");
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : template.variables()) {
      Object value = given.getValue(name);
      if (value == null) {
        throw variableError("missing_template_variable", template, name,
            "Template '" + template.id() + "' needs the variable '" + name + "'.");
      }
      values.put(name, value(name, value, template.types().get(name)));
    }
    return PLACEHOLDER.matcher(template.text()).replaceAll(match -> Matcher.quoteReplacement(values.get(match.group(1))));
  }

  private String value(String name, Object value, VariableType type) {
    if (!(value instanceof String) && !(value instanceof Number)) {
      throw DomainFailure.invalidField("variables." + name, "must be a string or a number");
    }
    return type.check(name, value.toString(), maxVariableLength);
  }

  private static DomainFailure variableError(String code, SmsTemplate template, String variable, String message) {
    return new DomainFailure(DomainFailure.Kind.INVALID, code, message, null, new JsonObject().put("template_id", template.id()).put("variable", variable));
  }
}
