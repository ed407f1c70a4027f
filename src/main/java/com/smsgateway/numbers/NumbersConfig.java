package com.smsgateway.numbers;

import com.smsgateway.config.Config;
import java.time.Duration;

/**
 * The {@code numbers.*} configuration.
 *
 * @param purchaseTimeout a purchase recorded this long ago without an outcome belongs to a crashed request: the number
 *                        may be bought again (it is first looked up in the platform account, so never bought twice)
 */
public record NumbersConfig(Duration purchaseTimeout) {
  public static NumbersConfig from(Config root) {
    Config config = root.at("numbers");
    Duration purchaseTimeout = config.duration("purchase_timeout", Duration.ofMinutes(2));
    if (purchaseTimeout.isZero()) {
      throw config.invalid("purchase_timeout", purchaseTimeout, "must be positive");
    }
    return new NumbersConfig(purchaseTimeout);
  }
}
