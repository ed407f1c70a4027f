package com.smsgateway.registration;

import java.util.Locale;
import java.util.Optional;

/** The three steps of A2P 10DLC registration, with the table each lives in. */
public enum RegistrationKind {
  BUSINESS_PROFILE("business_profiles", "Business profile"),
  BRAND("brands", "Brand"),
  CAMPAIGN("campaigns", "Campaign");

  private final String table;
  private final String title;

  RegistrationKind(String table, String title) {
    this.table = table;
    this.title = title;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  String table() {
    return table;
  }

  String title() {
    return title;
  }

  public static Optional<RegistrationKind> fromWire(String value) {
    for (RegistrationKind kind : values()) {
      if (kind.wireName().equals(value)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
