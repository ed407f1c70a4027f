package com.smsgateway.calls;

import com.smsgateway.config.Config;
import java.time.Duration;

/** {@code calls.*}; {@code call_sessions.*} is {@link CallSessionConfig}. */
public record CallsConfig(Duration maxDuration, Duration gaugeRefresh, CallSessionConfig sessions) {

  public static CallsConfig from(Config root) {
    Config calls = root.at("calls");
    Duration maxDuration = calls.duration("max_duration", Duration.ofHours(4));
    if (maxDuration.toSeconds() < 1) {
      throw calls.invalid("max_duration", maxDuration, "must be at least 1s");
    }
    Duration gaugeRefresh = calls.duration("gauge_refresh", Duration.ofSeconds(15));
    if (gaugeRefresh.toMillis() < 1) {
      throw calls.invalid("gauge_refresh", gaugeRefresh, "must be longer than 0");
    }
    return new CallsConfig(maxDuration, gaugeRefresh, CallSessionConfig.from(root.at("call_sessions")));
  }
}
