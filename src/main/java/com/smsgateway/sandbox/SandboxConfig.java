package com.smsgateway.sandbox;

import com.smsgateway.config.Config;
import java.time.Duration;

/**
 * The {@code sandbox.*} configuration (used only in {@code twilio.mode: sandbox}).
 *
 * @param callbackDelay how long the sandbox waits before each status callback (queued, sent, delivered)
 */
public record SandboxConfig(Duration callbackDelay) {
  public static SandboxConfig from(Config config) {
    return new SandboxConfig(config.at("sandbox").duration("callback_delay", Duration.ofMillis(200)));
  }
}
