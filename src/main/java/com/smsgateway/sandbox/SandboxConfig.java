package com.smsgateway.sandbox;

import com.smsgateway.config.Config;
import java.time.Duration;

/**
 * The {@code sandbox.*} configuration (used only in {@code twilio.mode: sandbox}).
 *
 * @param callbackDelay       how long the sandbox waits before each status callback (queued, sent, delivered)
 * @param callbackConnections how many status callbacks the sandbox posts at once (Twilio posts many in parallel)
 */
public record SandboxConfig(Duration callbackDelay, int callbackConnections) {
  public static SandboxConfig from(Config config) {
    Config sandbox = config.at("sandbox");
    return new SandboxConfig(sandbox.duration("callback_delay", Duration.ofMillis(200)),
        sandbox.integer("callback_connections", 64, 1, 10_000));
  }
}
