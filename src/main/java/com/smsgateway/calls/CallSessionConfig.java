package com.smsgateway.calls;

import com.smsgateway.config.Config;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delivery of texts received during a call to the voice platform ({@code call_sessions.*}). Without a {@code url}
 * nothing is delivered: texts wait as pending (kept, never dropped) until a replica with a URL starts.
 */
public record CallSessionConfig(
    Optional<String> url,
    String secret,
    Duration timeout,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration pollInterval,
    int batchSize) {

  private static final int MIN_SECRET_LENGTH = 16;

  public static CallSessionConfig from(Config section) {
    Optional<String> url = section.optionalHttpUrl("url");
    String secret = section.string("secret", "");
    if (url.isPresent() && secret.length() < MIN_SECRET_LENGTH) {
      throw section.invalid("secret", "<hidden>", "must be at least " + MIN_SECRET_LENGTH + " characters when call_sessions.url is set");
    }
    Duration initialBackoff = section.duration("initial_backoff", Duration.ofMillis(500));
    Duration maxBackoff = section.duration("max_backoff", Duration.ofSeconds(30));
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw section.invalid("max_backoff", maxBackoff, "must not be shorter than call_sessions.initial_backoff");
    }
    return new CallSessionConfig(url, secret,
        positive(section, "timeout", section.duration("timeout", Duration.ofSeconds(5))),
        section.integer("max_attempts", 6, 1, 100),
        initialBackoff,
        maxBackoff,
        positive(section, "poll_interval", section.duration("poll_interval", Duration.ofMillis(250))),
        section.integer("batch_size", 32, 1, 1000));
  }

  private static Duration positive(Config section, String key, Duration value) {
    if (value.isZero()) {
      throw section.invalid(key, value, "must be longer than 0");
    }
    return value;
  }

  /**
   * How long a replica holds a claimed text: past the request timeout with room to record the outcome, so a
   * live owner never loses its claim and a dead one's is taken over soon.
   */
  Duration lease() {
    return timeout.multipliedBy(2).plusSeconds(5);
  }

  /** Exponential, capped, with equal jitter (half fixed, half random) so retries after an outage do not stampede. */
  Duration backoffAfter(int failedAttempts) {
    long exponential = initialBackoff.toMillis() << Math.min(failedAttempts - 1, 30);
    long capped = Math.min(Math.max(exponential, 0), maxBackoff.toMillis());
    long half = capped / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(capped - half + 1));
  }
}
