package com.smsgateway.numbers;

import com.smsgateway.config.Config;
import java.time.Duration;

/**
 * The {@code numbers.*} configuration.
 *
 * @param purchaseTimeout a purchase recorded this long ago without an outcome belongs to a crashed request: the number
 *                        may be bought again (it is first looked up in the platform account, so never bought twice)
 * @param cacheTtl        how long a replica trusts a number it read to decide who sends a text (and the pool's
 *                        senders); this replica's own changes to a number apply at once; 0 reads every time
 * @param cacheMaxEntries the most numbers one replica keeps
 */
public record NumbersConfig(Duration purchaseTimeout, Duration cacheTtl, int cacheMaxEntries) {
  public static NumbersConfig from(Config root) {
    Config config = root.at("numbers");
    Duration purchaseTimeout = config.duration("purchase_timeout", Duration.ofMinutes(2));
    if (purchaseTimeout.isZero()) {
      throw config.invalid("purchase_timeout", purchaseTimeout, "must be positive");
    }
    return new NumbersConfig(purchaseTimeout, config.duration("cache_ttl", Duration.ofSeconds(1)),
        config.integer("cache_max_entries", 10_000, 1, 10_000_000));
  }
}
