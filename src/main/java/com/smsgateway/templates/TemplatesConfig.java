package com.smsgateway.templates;

import com.smsgateway.config.Config;
import java.nio.file.Path;

/** {@code templates.*}: where the preset templates are and how long a variable's value may be. */
public record TemplatesConfig(Path file, int maxVariableLength) {
  public static TemplatesConfig from(Config root) {
    Config templates = root.at("templates");
    return new TemplatesConfig(Path.of(templates.string("file", "conf/templates.yaml")),
        templates.integer("max_variable_length", 200, 1, 1600));
  }
}
