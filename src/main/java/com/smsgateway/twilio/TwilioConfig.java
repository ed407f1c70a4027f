package com.smsgateway.twilio;

import com.smsgateway.config.Config;
import com.smsgateway.work.Backoff;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code twilio.*} configuration. In {@code sandbox} mode the platform account defaults to fixed sandbox
 * credentials and the SDK's requests go to the gateway's own sandbox routes; in {@code live} mode the
 * account is required and requests go to Twilio unless {@code twilio.api_base_url} redirects them.
 *
 * @param apiBaseUrl where the SDK's requests go instead of {@code https://<product>.twilio.com}; empty: Twilio itself
 */
public record TwilioConfig(Mode mode, TwilioAccount platformAccount, Optional<String> apiBaseUrl, Retry retry, Duration requestTimeout) {
  public static final String SANDBOX_ACCOUNT_SID = "AC00000000000000000000000000000000";
  public static final String SANDBOX_AUTH_TOKEN = "sandbox-auth-token-00000000000000";
  /** Where the sandbox's stand-ins for Twilio's APIs are mounted, below {@code public_base_url}. */
  public static final String SANDBOX_PATH = "/sandbox/twilio";

  public enum Mode { SANDBOX, LIVE }

  /**
   * Requests failing with 429, 5xx or an I/O error are retried with exponential backoff and full jitter.
   *
   * @param maxAttempts attempts in all, the first included
   */
  public record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    public Backoff backoff() {
      return new Backoff(initialBackoff, maxBackoff, Backoff.Jitter.FULL);
    }

    /** The longest time one operation may take: every attempt up to {@code requestTimeout}, plus the pauses between. */
    public Duration longestOperation(Duration requestTimeout) {
      return requestTimeout.multipliedBy(maxAttempts).plus(backoff().longestTotal(maxAttempts));
    }
  }

  /** Reads {@code twilio.*} from the root configuration (it needs {@code public_base_url} too). */
  public static TwilioConfig from(Config config) {
    Config twilio = config.at("twilio");
    Mode mode = twilio.enumValue("mode", Mode.SANDBOX);
    TwilioAccount platform = mode == Mode.SANDBOX
        ? new TwilioAccount(twilio.string("account_sid", SANDBOX_ACCOUNT_SID), twilio.string("auth_token", SANDBOX_AUTH_TOKEN))
        : new TwilioAccount(twilio.requiredString("account_sid"), twilio.requiredString("auth_token"));
    if (!platform.accountSid().matches("AC[0-9a-fA-F]{32}")) {
      throw twilio.invalid("account_sid", platform.accountSid(), "must be 'AC' followed by 32 hex digits");
    }
    Optional<String> apiBaseUrl = twilio.optionalHttpUrl("api_base_url");
    if (mode == Mode.SANDBOX && apiBaseUrl.isEmpty()) {
      apiBaseUrl = Optional.of(config.requiredHttpUrl("public_base_url") + SANDBOX_PATH);
    }
    Config retry = twilio.at("retry");
    Backoff backoff = Backoff.configured(retry, "initial_backoff", Duration.ofMillis(200), "max_backoff", Duration.ofSeconds(5),
        Backoff.Jitter.FULL);
    Duration requestTimeout = twilio.duration("request_timeout", Duration.ofSeconds(10));
    if (requestTimeout.isZero()) {
      throw twilio.invalid("request_timeout", requestTimeout, "must be positive");
    }
    return new TwilioConfig(mode, platform, apiBaseUrl,
        new Retry(retry.integer("max_attempts", 4, 1, 20), backoff.initial(), backoff.max()),
        requestTimeout);
  }

  public boolean sandbox() {
    return mode == Mode.SANDBOX;
  }
}
