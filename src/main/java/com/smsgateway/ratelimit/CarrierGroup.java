package com.smsgateway.ratelimit;

import java.util.Locale;

/** The recipient's carrier, as far as the rate limits care: T-Mobile has its own daily cap. */
public enum CarrierGroup {
  TMOBILE,
  OTHER,
  /** The carrier lookup failed; only the total daily cap is charged. */
  UNKNOWN;

  /** How the carrier is stored: in PostgreSQL, in the limiter's Redis cache and in its Lua script. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CarrierGroup fromCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
