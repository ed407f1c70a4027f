package com.smsgateway.numbers;

import java.util.Locale;

/** Where a number comes from: bought by the platform, a customer's own Twilio number, or the SMS-approved pool. */
public enum NumberType {
  PLATFORM,
  BYO_TWILIO,
  POOL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static NumberType fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
