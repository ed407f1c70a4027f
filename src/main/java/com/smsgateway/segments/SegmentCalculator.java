package com.smsgateway.segments;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Counts the SMS segments a body needs, the way carriers split it: GSM-7 when every character is in the
 * 3GPP TS 23.038 default alphabet or its extension table, otherwise UCS-2 for the whole body.
 */
public final class SegmentCalculator {

  /**
   * Twilio refuses bodies over 1,600 characters. We count Unicode code points, because that is what a person
   * (and the API's error message) calls a character: an emoji is one character, not the two UTF-16 units Java
   * happens to store it in.
   */
  public static final int MAX_BODY_CHARS = 1600;

  /** The default alphabet, one septet each; ESC (0x1B) is left out, it only introduces extension characters. */
  private static final String GSM_7_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
      + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

  /** The extension table: each is sent as ESC plus a septet, so it costs two septets. */
  private static final String GSM_7_EXTENSION = "\f^{}\\[]~|€";

  private static final BitSet BASIC = codePoints(GSM_7_BASIC);
  private static final BitSet EXTENSION = codePoints(GSM_7_EXTENSION);

  private SegmentCalculator() {}

  /**
   * Segments of {@code body}, whatever its length. An empty body counts as one segment of zero characters: a
   * message sent without text still occupies one SMS on the network, and a limiter must never be charged zero.
   * The API refuses empty bodies before sending, so this only matters to callers that count anyway.
   */
  public static SegmentInfo calculate(String body) {
    Encoding encoding = isGsm7(body) ? Encoding.GSM_7 : Encoding.UCS_2;
    int total = 0;
    for (int i = 0; i < body.length(); ) {
      int codePoint = body.codePointAt(i);
      total += units(encoding, codePoint);
      i += Character.charCount(codePoint);
    }
    if (total <= encoding.singleSegmentCapacity()) {
      return new SegmentInfo(encoding, 1, total, List.of(total));
    }
    List<Integer> parts = split(body, encoding);
    return new SegmentInfo(encoding, parts.size(), total, parts);
  }

  /** Refuses a body longer than {@link #MAX_BODY_CHARS} code points. */
  public static void checkBodyLength(String body) {
    int length = body.codePointCount(0, body.length());
    if (length > MAX_BODY_CHARS) {
      throw new BodyTooLongException(length);
    }
  }

  /** True when every character of {@code body} can be sent in GSM-7. */
  public static boolean isGsm7(String body) {
    return body.codePoints().allMatch(codePoint -> BASIC.get(codePoint) || EXTENSION.get(codePoint));
  }

  /**
   * Fills parts greedily. A character is never split: an extension character's escape pair, or a surrogate
   * pair, that does not fit in what is left of a part starts the next part instead.
   */
  private static List<Integer> split(String body, Encoding encoding) {
    int capacity = encoding.multipartSegmentCapacity();
    List<Integer> parts = new ArrayList<>();
    int inPart = 0;
    for (int i = 0; i < body.length(); ) {
      int codePoint = body.codePointAt(i);
      int units = units(encoding, codePoint);
      if (inPart + units > capacity) {
        parts.add(inPart);
        inPart = 0;
      }
      inPart += units;
      i += Character.charCount(codePoint);
    }
    parts.add(inPart);
    return parts;
  }

  private static int units(Encoding encoding, int codePoint) {
    return switch (encoding) {
      case GSM_7 -> EXTENSION.get(codePoint) ? 2 : 1;
      case UCS_2 -> Character.charCount(codePoint);
    };
  }

  private static BitSet codePoints(String characters) {
    BitSet set = new BitSet();
    characters.codePoints().forEach(set::set);
    return set;
  }
}
