package com.smsgateway.segments;

import java.util.List;

/**
 * How a body is split into SMS segments.
 *
 * @param encoding          the encoding the whole body is sent in
 * @param segments          number of segments (billed and rate-limited units)
 * @param characters        units as counted for the encoding: septets for GSM-7 (extension characters count two),
 *                          UTF-16 code units for UCS-2 (characters outside the BMP count two)
 * @param charactersPerPart units in each segment, in order; sums to {@code characters}
 */
public record SegmentInfo(Encoding encoding, int segments, int characters, List<Integer> charactersPerPart) {

  public SegmentInfo {
    charactersPerPart = List.copyOf(charactersPerPart);
    if (segments != charactersPerPart.size()) {
      throw new IllegalArgumentException("segments " + segments + " != parts " + charactersPerPart.size());
    }
  }
}
