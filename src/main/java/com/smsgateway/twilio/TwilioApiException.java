package com.smsgateway.twilio;

import java.util.OptionalInt;

/**
 * A Twilio API call failed: Twilio answered an error ({@link #httpStatus()} and, when its body said so,
 * {@link #twilioErrorCode()}), no answer came ({@link #ioFailure()}), or the answer could not be read.
 */
public final class TwilioApiException extends RuntimeException {
  /** Twilio's error code for a recipient who texted STOP: nothing may be sent to them. */
  public static final int RECIPIENT_OPTED_OUT = 21610;
  /** {@link #httpStatus()} when no HTTP answer was received or it could not be read. */
  public static final int NO_HTTP_STATUS = 0;

  private final int httpStatus;
  private final Integer twilioErrorCode;
  private final boolean ioFailure;

  public TwilioApiException(int httpStatus, Integer twilioErrorCode, String message) {
    this(httpStatus, twilioErrorCode, message, false, null);
  }

  private TwilioApiException(int httpStatus, Integer twilioErrorCode, String message, boolean ioFailure, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.twilioErrorCode = twilioErrorCode;
    this.ioFailure = ioFailure;
  }

  /** The request may or may not have reached Twilio: connection refused or reset, timeout. */
  public static TwilioApiException ioFailure(String message, Throwable cause) {
    return new TwilioApiException(NO_HTTP_STATUS, null, message, true, cause);
  }

  /** Twilio answered, but not in a form the SDK could read. */
  public static TwilioApiException unreadableAnswer(String message, Throwable cause) {
    return new TwilioApiException(NO_HTTP_STATUS, null, message, false, cause);
  }

  public int httpStatus() {
    return httpStatus;
  }

  public OptionalInt twilioErrorCode() {
    return twilioErrorCode == null ? OptionalInt.empty() : OptionalInt.of(twilioErrorCode);
  }

  public boolean ioFailure() {
    return ioFailure;
  }

  /** Worth another attempt: rate limited (429), a Twilio-side failure (5xx), or no answer at all. */
  public boolean retryable() {
    return ioFailure || httpStatus == 429 || httpStatus >= 500;
  }

  public boolean recipientOptedOut() {
    return twilioErrorCode != null && twilioErrorCode == RECIPIENT_OPTED_OUT;
  }
}
