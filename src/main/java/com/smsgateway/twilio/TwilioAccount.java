package com.smsgateway.twilio;

import java.util.Objects;

/** Credentials of one Twilio account: the platform's own, or a customer's (bring your own). */
public record TwilioAccount(String accountSid, String authToken) {
  public TwilioAccount {
    Objects.requireNonNull(accountSid, "accountSid");
    Objects.requireNonNull(authToken, "authToken");
  }

  /** Never prints the auth token, so an account in a log line or an exception leaks nothing. */
  @Override
  public String toString() {
    return "TwilioAccount[" + accountSid + "]";
  }
}
