package com.smsgateway.messages;

import com.smsgateway.twilio.TwilioApiException;
import java.util.Set;

/**
 * Twilio's message statuses. Their order (which may follow which) lives in one place, the SQL function
 * {@code message_status_advances} (migration V4), so that every update applies it atomically.
 */
public final class MessageStatus {
  public static final String QUEUED = "queued";
  public static final String SENDING = "sending";
  public static final String FAILED = "failed";

  public static final Set<String> KNOWN = Set.of("accepted", "scheduled", QUEUED, SENDING, "sent", "partially_delivered",
      "delivered", "undelivered", FAILED, "read", "canceled");

  /** A message reaches one of these at most once: no status replaces a final one (read only adds to delivered). */
  public static final Set<String> FINAL = Set.of("delivered", "undelivered", FAILED, "canceled");

  /** The status to record for what Twilio reported (a callback or a fetch). */
  public static String applied(String reportedStatus, Integer errorCode) {
    // Twilio's 21610 means the recipient has opted out: whatever status comes with it, the text failed.
    return errorCode != null && errorCode == TwilioApiException.RECIPIENT_OPTED_OUT ? FAILED : reportedStatus;
  }

  private MessageStatus() {}
}
