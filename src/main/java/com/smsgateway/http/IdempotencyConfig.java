package com.smsgateway.http;

import com.smsgateway.config.Config;
import java.time.Duration;

/**
 * {@code idempotency.*}.
 *
 * @param ttl               how long the response to a request with an {@code Idempotency-Key} is replayed (and kept)
 * @param inProgressTimeout the lease of an in-progress claim: the replica running the request renews it every
 *                          {@link #renewEvery()} until the response is kept, so a live request keeps its key however
 *                          long it takes, and the key of a replica that died is free at most this long after its last
 *                          renewal. Short, so a client retrying after a crash gets through within seconds.
 */
public record IdempotencyConfig(Duration ttl, Duration inProgressTimeout) {
  /** Renewals per lease: a renewal interval is small beside pg.statement_timeout, so the lease can stay short. */
  private static final int RENEWALS_PER_LEASE = 6;
  /** Unless pg.statement_timeout asks for more (1.6 times it): a retry after a crash gets through within seconds. */
  private static final Duration DEFAULT_LEASE = Duration.ofSeconds(8);

  /**
   * {@code statementTimeout}: {@code pg.statement_timeout}, the longest a renewal may wait. One renewal may wait all of it
   * and fail; the next one, an interval later, must still land before the claim runs out, or another replica could take
   * over the key of a request that is still running and run it a second time.
   */
  public static IdempotencyConfig from(Config root, Duration statementTimeout) {
    Config section = root.at("idempotency");
    Duration ttl = section.duration("ttl", Duration.ofHours(24));
    // Unset, the lease follows the statement timeout (a raised pg.statement_timeout alone never stops the start).
    Duration lease = section.optionalString("in_progress_timeout").isPresent()
        ? section.duration("in_progress_timeout", DEFAULT_LEASE)
        : max(DEFAULT_LEASE, statementTimeout.multipliedBy(8).dividedBy(5));
    if (lease.minus(renewEvery(lease).multipliedBy(2)).compareTo(statementTimeout) <= 0) {
      throw section.invalid("in_progress_timeout", lease, "must be longer than 1.5 x pg.statement_timeout (" + statementTimeout
          + "): a claim renewed every sixth of it must outlast one renewal that waits the whole statement timeout and the next one");
    }
    return new IdempotencyConfig(ttl, lease);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  public Duration renewEvery() {
    return renewEvery(inProgressTimeout);
  }

  private static Duration renewEvery(Duration lease) {
    return lease.dividedBy(RENEWALS_PER_LEASE);
  }
}
