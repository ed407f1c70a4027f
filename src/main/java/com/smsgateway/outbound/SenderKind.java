package com.smsgateway.outbound;

import java.util.Locale;

/** What kind of number a text is sent from; it decides which brand's limits the text counts against. */
public enum SenderKind {
  /** A platform Twilio number of a workspace (needs the workspace's A2P registration). */
  PLATFORM,
  /** A number of the platform's SMS-approved pool (in-call SMS without registration). */
  POOL,
  /** A customer's own Twilio number, sent through the customer's account. */
  BYO;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
