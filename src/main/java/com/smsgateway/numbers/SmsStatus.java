package com.smsgateway.numbers;

import java.util.Locale;

/** Whether a number may send SMS: A2P 10DLC registration moves a platform number to {@link #ENABLED}. */
public enum SmsStatus {
  A2P_REQUIRED,
  A2P_PENDING,
  ENABLED,
  SUSPENDED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SmsStatus fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
