package com.smsgateway.ratelimit;

/** The recipient's carrier, as far as the rate limits care: T-Mobile has its own daily cap. */
public enum Carrier {
  TMOBILE,
  OTHER,
  /** The carrier lookup failed; only the total daily cap is charged. */
  UNKNOWN
}
