package com.smsgateway.throttle;

import com.smsgateway.config.Config;

/**
 * The {@code http.rate_limit.*} configuration.
 *
 * @param perKeyPerSecond      requests one API key may make per second, sustained
 * @param burst                requests one API key may make at once (the bucket's size)
 * @param failedAuthPerMinute  failed authentications one client address may make per minute, sustained
 * @param failedAuthBurst      failed authentications one client address may make at once
 */
public record ThrottleConfig(int perKeyPerSecond, int burst, int failedAuthPerMinute, int failedAuthBurst) {

  public static ThrottleConfig from(Config root) {
    Config limits = root.at("http.rate_limit");
    int perKeyPerSecond = limits.integer("per_key_per_second", 100, 1, 10_000_000);
    int burst = limits.integer("burst", 200, 1, 10_000_000);
    if (burst < perKeyPerSecond) {
      throw limits.invalid("burst", burst, "must be at least http.rate_limit.per_key_per_second (" + perKeyPerSecond + ")");
    }
    return new ThrottleConfig(perKeyPerSecond, burst,
        limits.integer("failed_auth_per_minute", 10, 1, 1_000_000),
        limits.integer("failed_auth_burst", 20, 1, 1_000_000));
  }
}
