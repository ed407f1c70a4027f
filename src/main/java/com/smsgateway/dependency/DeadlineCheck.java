package com.smsgateway.dependency;

import com.smsgateway.config.ConfigException;
import com.smsgateway.config.GatewayConfig;
import java.time.Duration;
import java.util.Map;

/**
 * Checked at start-up: every dependency deadline is shorter than each lease that protects work calling it, so a hung
 * call fails before another replica may take the work over and do it a second time.
 */
public final class DeadlineCheck {
  private DeadlineCheck() {}

  /** {@code leases}: configuration key to its value (e.g. {@code inbound.dispatch_grace}). */
  public static void verify(GatewayConfig config, Map<String, Duration> leases) {
    Map<String, Duration> deadlines = Map.of(
        "pg.statement_timeout", config.pg().statementTimeout(),
        "redis.command_timeout", config.redis().commandTimeout());
    deadlines.forEach((deadlineKey, deadline) -> leases.forEach((leaseKey, lease) -> {
      if (deadline.compareTo(lease) >= 0) {
        throw new ConfigException(deadlineKey, "'" + deadline + "' must be shorter than " + leaseKey + " (" + lease
            + "), or work still waiting on it could be taken over by another replica");
      }
    }));
  }
}
