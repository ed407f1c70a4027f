package com.smsgateway.calls;

import com.smsgateway.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/** {@code calls.*} and {@code templates.*}; {@code call_sessions.*} is {@link CallSessionConfig}. */
public record CallsConfig(Duration maxDuration, Duration poolReuseCooldown, Duration gaugeRefresh, Path templatesFile,
                          int maxTemplateVariableLength, CallSessionConfig sessions) {

  public static CallsConfig from(Config root) {
    Config calls = root.at("calls");
    Config templates = root.at("templates");
    Duration maxDuration = calls.duration("max_duration", Duration.ofHours(4));
    if (maxDuration.toSeconds() < 1) {
      throw calls.invalid("max_duration", maxDuration, "must be at least 1s");
    }
    Duration poolReuseCooldown = calls.duration("pool_reuse_cooldown", Duration.ofHours(24));
    if (poolReuseCooldown.toMillis() < 1) {
      throw calls.invalid("pool_reuse_cooldown", poolReuseCooldown, "must be longer than 0");
    }
    Duration gaugeRefresh = calls.duration("gauge_refresh", Duration.ofSeconds(15));
    if (gaugeRefresh.toMillis() < 1) {
      throw calls.invalid("gauge_refresh", gaugeRefresh, "must be longer than 0");
    }
    return new CallsConfig(maxDuration, poolReuseCooldown, gaugeRefresh,
        Path.of(templates.string("file", "conf/templates.yaml")),
        templates.integer("max_variable_length", 200, 1, 1600),
        CallSessionConfig.from(root.at("call_sessions")));
  }
}
