package com.smsgateway.segments;

/** How an SMS body travels on the air interface; it decides how many characters fit in a segment. */
public enum Encoding {
  /** 3GPP TS 23.038 default alphabet, 7 bits per character (extension characters take two). */
  GSM_7("GSM-7", 160, 153),
  /** UTF-16 code units, 16 bits each (characters outside the BMP take two). */
  UCS_2("UCS-2", 70, 67);

  private final String label;
  private final int singleSegmentCapacity;
  private final int multipartSegmentCapacity;

  Encoding(String label, int singleSegmentCapacity, int multipartSegmentCapacity) {
    this.label = label;
    this.singleSegmentCapacity = singleSegmentCapacity;
    this.multipartSegmentCapacity = multipartSegmentCapacity;
  }

  /** The name the API answers and the messages table stores: {@code GSM-7} or {@code UCS-2}. */
  public String label() {
    return label;
  }

  /** Units (septets or UTF-16 code units) that fit in a message sent as one segment. */
  public int singleSegmentCapacity() {
    return singleSegmentCapacity;
  }

  /** Units per part of a concatenated message: the user data header takes the rest. */
  public int multipartSegmentCapacity() {
    return multipartSegmentCapacity;
  }
}
