package com.smsgateway.work;

import com.smsgateway.config.Config;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff, bounded: the ceiling after {@code n} failed attempts is {@code initial × 2^(n-1)}, never more
 * than {@code max}; the pause is drawn below it with jitter, so retrying replicas spread out instead of stampeding.
 *
 * @param jitter {@link Jitter#EQUAL}: between half the ceiling and the ceiling (a retry never comes at once);
 *               {@link Jitter#FULL}: anywhere from zero to the ceiling (spreads best; for short in-process retries)
 */
public record Backoff(Duration initial, Duration max, Jitter jitter) {

  public enum Jitter { EQUAL, FULL }

  public Backoff {
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial backoff must be positive, not " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max backoff " + max + " is shorter than the initial " + initial);
    }
  }

  /**
   * Reads {@code initialKey} and {@code maxKey} of {@code section}; a non-positive initial or a max shorter than the
   * initial fails with a configuration error naming the key.
   */
  public static Backoff configured(Config section, String initialKey, Duration defaultInitial, String maxKey, Duration defaultMax,
                                   Jitter jitter) {
    Duration initial = section.duration(initialKey, defaultInitial);
    if (initial.isZero()) {
      throw section.invalid(initialKey, initial, "must be positive");
    }
    Duration max = section.duration(maxKey, defaultMax);
    if (max.compareTo(initial) < 0) {
      throw section.invalid(maxKey, max, "must not be shorter than the initial backoff (" + initialKey + ": " + initial + ")");
    }
    return new Backoff(initial, max, jitter);
  }

  /** The longest pause after {@code failedAttempts} (at least 1) failures: {@code min(max, initial × 2^(n-1))}. */
  public Duration ceiling(int failedAttempts) {
    long maxMillis = max.toMillis();
    long ceiling = initial.toMillis();
    for (int n = 1; n < failedAttempts && ceiling < maxMillis; n++) {
      ceiling *= 2;
    }
    return Duration.ofMillis(Math.min(ceiling, maxMillis));
  }

  /** The pause before the next attempt after {@code failedAttempts} failures. */
  public Duration delay(int failedAttempts) {
    return delay(failedAttempts, ThreadLocalRandom.current());
  }

  Duration delay(int failedAttempts, RandomGenerator random) {
    long ceiling = ceiling(failedAttempts).toMillis();
    long floor = jitter == Jitter.EQUAL ? ceiling / 2 : 0;
    return Duration.ofMillis(floor + random.nextLong(ceiling - floor + 1));
  }

  /** The longest total of the pauses between {@code attempts} attempts (for deadline and lease checks). */
  public Duration longestTotal(int attempts) {
    Duration total = Duration.ZERO;
    for (int failed = 1; failed < attempts; failed++) {
      total = total.plus(ceiling(failed));
    }
    return total;
  }
}
