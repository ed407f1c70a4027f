package com.smsgateway.calls;

import com.smsgateway.config.Config;
import com.smsgateway.work.Backoff;
import java.time.Duration;
import java.util.Optional;

/**
 * Delivery of texts received during a call to the voice platform ({@code call_sessions.*}). Without a {@code url}
 * nothing is delivered: texts wait as pending (kept, never dropped) until a replica with a URL starts.
 *
 * @param timeout   the total deadline of one delivery: connecting, sending and reading the answer; shorter than the lease
 * @param lease     how long a replica holds a text it is delivering; a crashed replica's text is taken over after it
 * @param backoff   the pause between tries (exponential, equal jitter)
 * @param orderWait a call's text waits for an older text of the same conversation still pending dispatch only while
 *                  that text's next dispatch attempt is due within this; one retried later no longer holds it back
 */
public record CallSessionConfig(
    Optional<String> url,
    String secret,
    Duration timeout,
    Duration lease,
    int maxAttempts,
    Backoff backoff,
    Duration pollInterval,
    int batchSize,
    Duration orderWait) {

  private static final int MIN_SECRET_LENGTH = 16;

  public static CallSessionConfig from(Config section) {
    Optional<String> url = section.optionalHttpUrl("url");
    String secret = section.string("secret", "");
    if (url.isPresent() && secret.length() < MIN_SECRET_LENGTH) {
      throw section.invalid("secret", "<hidden>", "must be at least " + MIN_SECRET_LENGTH + " characters when call_sessions.url is set");
    }
    return new CallSessionConfig(url, secret,
        positive(section, "timeout", section.duration("timeout", Duration.ofSeconds(5))),
        positive(section, "lease", section.duration("lease", Duration.ofSeconds(15))),
        section.integer("max_attempts", 6, 1, 100),
        Backoff.configured(section, "initial_backoff", Duration.ofMillis(500), "max_backoff", Duration.ofSeconds(30), Backoff.Jitter.EQUAL),
        positive(section, "poll_interval", section.duration("poll_interval", Duration.ofMillis(250))),
        section.integer("batch_size", 32, 1, 1000),
        section.duration("order_wait", Duration.ofMinutes(1)));
  }

  private static Duration positive(Config section, String key, Duration value) {
    if (value.isZero()) {
      throw section.invalid(key, value, "must be longer than 0");
    }
    return value;
  }
}
