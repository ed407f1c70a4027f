package com.smsgateway.twilio;

import com.smsgateway.config.Config;
import com.smsgateway.config.ConfigException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import com.smsgateway.work.Backoff;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code twilio.*} configuration. It fails closed: {@code live} is the default, and live mode refuses to start
 * without the platform account's credentials, so a production deployment that forgot them never runs on the sandbox
 * (texts silently going nowhere). The sandbox must be chosen explicitly ({@code twilio.mode: sandbox}); its platform
 * account defaults to fixed sandbox credentials and the SDK's requests go to the gateway's own sandbox routes. Since
 * the sandbox's credentials are public, it refuses a {@code public_base_url} other than a loopback address unless
 * {@code sandbox.allow_public: true}. In live mode requests go to Twilio unless {@code twilio.api_base_url}
 * redirects them.
 *
 * @param apiBaseUrl where the SDK's requests go instead of {@code https://<product>.twilio.com}; empty: Twilio itself
 */
public record TwilioConfig(Mode mode, TwilioAccount platformAccount, Optional<String> apiBaseUrl, Retry retry, Duration requestTimeout,
                           Concurrency concurrency) {
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

  /**
   * Blocking Twilio requests (sends, lookups, …) in flight at once per replica, and how long one waits for a turn
   * before it fails as 503 {@code dependency_unavailable} (Twilio too slow to keep up).
   */
  public record Concurrency(int maxConcurrentRequests, Duration maxWait) {}

  /** Reads {@code twilio.*} from the root configuration (it needs {@code public_base_url} too). */
  public static TwilioConfig from(Config config) {
    Config twilio = config.at("twilio");
    Mode mode = twilio.enumValue("mode", Mode.LIVE);
    TwilioAccount platform = mode == Mode.SANDBOX
        ? new TwilioAccount(twilio.string("account_sid", SANDBOX_ACCOUNT_SID), twilio.string("auth_token", SANDBOX_AUTH_TOKEN))
        : liveAccount(twilio);
    if (mode == Mode.SANDBOX) {
      requireLoopbackUnlessAllowed(config);
    }
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
        requestTimeout,
        new Concurrency(twilio.integer("max_concurrent_requests", 64, 1, 10_000), twilio.duration("max_queue_wait", Duration.ofSeconds(5))));
  }

  /** Both credentials, or one error naming every missing key, its variable, and how to choose the sandbox instead. */
  private static TwilioAccount liveAccount(Config twilio) {
    Optional<String> sid = twilio.optionalString("account_sid");
    Optional<String> token = twilio.optionalString("auth_token");
    if (sid.isPresent() && token.isPresent()) {
      return new TwilioAccount(sid.get(), token.get());
    }
    List<String> missing = new ArrayList<>();
    if (sid.isEmpty()) {
      missing.add("twilio.account_sid (" + Config.envName("twilio.account_sid") + ")");
    }
    if (token.isEmpty()) {
      missing.add("twilio.auth_token (" + Config.envName("twilio.auth_token") + ")");
    }
    throw new ConfigException(sid.isEmpty() ? "twilio.account_sid" : "twilio.auth_token",
        "twilio.mode is live (the default) and needs the platform account: set " + String.join(" and ", missing)
            + ". For development or tests choose the built-in Twilio stand-in explicitly: twilio.mode: sandbox ("
            + Config.envName("twilio.mode") + "=sandbox).");
  }

  /** The sandbox's credentials are public: it serves only a loopback public_base_url unless told otherwise. */
  private static void requireLoopbackUnlessAllowed(Config config) {
    String publicBaseUrl = config.requiredHttpUrl("public_base_url");
    if (config.at("sandbox").bool("allow_public", false) || isLoopback(publicBaseUrl)) {
      return;
    }
    throw config.invalid("public_base_url", publicBaseUrl, "is not a loopback address, and twilio.mode is sandbox, whose"
        + " credentials are public: use live mode, or set sandbox.allow_public: true (" + Config.envName("sandbox.allow_public")
        + "=true) for a deliberately public demo.");
  }

  private static boolean isLoopback(String url) {
    String host = URI.create(url).getHost();
    if (host == null) {
      return false;
    }
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return bare.equalsIgnoreCase("localhost") || bare.matches("127(\\.\\d{1,3}){3}") || bare.equals("::1");
  }

  public boolean sandbox() {
    return mode == Mode.SANDBOX;
  }
}
