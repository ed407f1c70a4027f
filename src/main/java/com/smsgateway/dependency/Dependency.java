package com.smsgateway.dependency;

import java.util.Locale;

/** What the gateway depends on at request time; a failure of one answers 503 {@code dependency_unavailable}. */
public enum Dependency {
  POSTGRES("PostgreSQL"),
  REDIS("Redis"),
  TWILIO("Twilio");

  private final String displayName;

  Dependency(String displayName) {
    this.displayName = displayName;
  }

  /** The metric label and the {@code dependency} field of the error body. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String displayName() {
    return displayName;
  }
}
