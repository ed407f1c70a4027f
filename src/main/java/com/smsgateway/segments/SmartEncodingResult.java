package com.smsgateway.segments;

/**
 * A body before and after {@link SmartEncoding#apply}.
 *
 * @param originalBody the body as given
 * @param body         the smart-encoded body, the one to send
 * @param original     segments of the original body
 * @param smartEncoded segments of the smart-encoded body
 */
public record SmartEncodingResult(String originalBody, String body, SegmentInfo original, SegmentInfo smartEncoded) {

  /** True when the replacements changed the number of segments (usually fewer, by leaving UCS-2). */
  public boolean segmentCountChanged() {
    return original.segments() != smartEncoded.segments();
  }
}
