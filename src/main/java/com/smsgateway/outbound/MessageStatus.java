package com.smsgateway.outbound;

import java.util.Set;

/**
 * Twilio's message statuses. Their order (which may follow which) lives in one place, the SQL function
 * {@code message_status_advances} (migration V4), so that every update applies it atomically.
 */
final class MessageStatus {
  static final String QUEUED = "queued";
  static final String SENDING = "sending";
  static final String FAILED = "failed";

  static final Set<String> KNOWN = Set.of("accepted", "scheduled", QUEUED, SENDING, "sent", "partially_delivered",
      "delivered", "undelivered", FAILED, "read", "canceled");

  /** A message reaches one of these at most once: no status replaces a final one (read only adds to delivered). */
  static final Set<String> FINAL = Set.of("delivered", "undelivered", FAILED, "canceled");

  private MessageStatus() {}
}
