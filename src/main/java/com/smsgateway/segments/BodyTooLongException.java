package com.smsgateway.segments;

import com.smsgateway.domain.DomainFailure;

/** A message body longer than {@link SegmentCalculator#MAX_BODY_CHARS}; the API answers {@value #ERROR_CODE}. */
public final class BodyTooLongException extends RuntimeException {

  public static final String ERROR_CODE = "body_too_long";

  private final int length;

  public BodyTooLongException(int length) {
    super("body is " + length + " characters long; at most " + SegmentCalculator.MAX_BODY_CHARS + " are allowed");
    this.length = length;
  }

  /** The API's answer: 422 {@value #ERROR_CODE} naming the {@code body} field. */
  public DomainFailure toDomainFailure() {
    return DomainFailure.invalid(ERROR_CODE, "'body' " + getMessage() + ".", "body");
  }

  /** Length of the refused body in characters (Unicode code points). */
  public int length() {
    return length;
  }
}
