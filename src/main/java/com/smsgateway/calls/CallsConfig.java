package com.smsgateway.calls;

import com.smsgateway.config.Config;
import java.time.Duration;

/** {@code calls.*}; {@code call_sessions.*} is {@link CallSessionConfig}. */
public record CallsConfig(Duration maxDuration, Duration poolReuseCooldown, Duration gaugeRefresh, CallSessionConfig sessions) {

  public static CallsConfig from(Config root) {
    Config calls = root.at("calls");
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
    return new CallsConfig(maxDuration, poolReuseCooldown, gaugeRefresh, CallSessionConfig.from(root.at("call_sessions")));
  }
}
