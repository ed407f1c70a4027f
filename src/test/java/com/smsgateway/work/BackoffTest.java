package com.smsgateway.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Backoff bounds, drawn at both ends of the random range. */
class BackoffTest {
  private static final Duration INITIAL = Duration.ofMillis(500);
  private static final Duration MAX = Duration.ofSeconds(30);

  /** Draws the lowest or the highest value a bounded draw may take. */
  private record Extreme(boolean highest) implements RandomGenerator {
    @Override
    public long nextLong() {
      return highest ? Long.MAX_VALUE : 0;
    }

    @Override
    public long nextLong(long bound) {
      return highest ? bound - 1 : 0;
    }
  }

  private static final RandomGenerator LOWEST = new Extreme(false);
  private static final RandomGenerator HIGHEST = new Extreme(true);

  @Test
  void theCeilingDoublesPerFailureUpToTheMax() {
    Backoff backoff = new Backoff(INITIAL, MAX, Backoff.Jitter.EQUAL);

    assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.ceiling(7)).isEqualTo(MAX);
    assertThat(backoff.ceiling(1_000_000)).isEqualTo(MAX);
  }

  @Test
  void equalJitterStaysBetweenHalfTheCeilingAndTheCeiling() {
    Backoff backoff = new Backoff(INITIAL, MAX, Backoff.Jitter.EQUAL);

    for (int failed = 1; failed <= 100; failed++) {
      Duration ceiling = backoff.ceiling(failed);
      assertThat(backoff.delay(failed, LOWEST)).isEqualTo(ceiling.dividedBy(2));
      assertThat(backoff.delay(failed, HIGHEST)).isEqualTo(ceiling);
      assertThat(backoff.delay(failed)).isBetween(ceiling.dividedBy(2), ceiling);
    }
  }

  @Test
  void fullJitterStaysBetweenZeroAndTheCeiling() {
    Backoff backoff = new Backoff(INITIAL, MAX, Backoff.Jitter.FULL);

    for (int failed = 1; failed <= 100; failed++) {
      Duration ceiling = backoff.ceiling(failed);
      assertThat(backoff.delay(failed, LOWEST)).isZero();
      assertThat(backoff.delay(failed, HIGHEST)).isEqualTo(ceiling);
      assertThat(backoff.delay(failed)).isBetween(Duration.ZERO, ceiling);
    }
  }

  @Test
  void theLongestTotalAddsTheCeilingsBetweenAttempts() {
    Backoff backoff = new Backoff(INITIAL, MAX, Backoff.Jitter.FULL);

    assertThat(backoff.longestTotal(1)).isZero();
    assertThat(backoff.longestTotal(4)).isEqualTo(Duration.ofMillis(500 + 1000 + 2000));
  }

  @Test
  void aMaxShorterThanTheInitialIsRefused() {
    assertThatThrownBy(() -> new Backoff(MAX, INITIAL, Backoff.Jitter.EQUAL)).isInstanceOf(IllegalArgumentException.class);
  }
}
