package com.smsgateway.segments;

import java.util.HashMap;
import java.util.Map;

/**
 * Replaces Unicode look-alikes (curly quotes, dashes, exotic spaces, fullwidth forms, ...) with GSM-7 characters,
 * so that one stray character pasted from a word processor does not turn a whole message into UCS-2 and double
 * its segments. Follows Twilio's published Smart Encoding character list; characters with no GSM-7 look-alike
 * (emoji, non-Latin scripts) are kept, so such a body stays UCS-2.
 */
public final class SmartEncoding {

  private static final Map<Integer, String> REPLACEMENTS = buildReplacements();

  private SmartEncoding() {}

  /** The smart-encoded body and the segments before and after. */
  public static SmartEncodingResult apply(String body) {
    StringBuilder encoded = new StringBuilder(body.length());
    body.codePoints().forEach(codePoint -> {
      String replacement = REPLACEMENTS.get(codePoint);
      if (replacement == null) {
        encoded.appendCodePoint(codePoint);
      } else {
        encoded.append(replacement);
      }
    });
    String encodedBody = encoded.toString();
    return new SmartEncodingResult(body, encodedBody,
        SegmentCalculator.calculate(body), SegmentCalculator.calculate(encodedBody));
  }

  private static Map<Integer, String> buildReplacements() {
    Map<Integer, String> map = new HashMap<>();
    replace(map, "\"", 0x00AB, 0x00BB, 0x201C, 0x201D, 0x201E, 0x201F, 0x02BA, 0x02EE, 0x275D, 0x275E, 0x301D,
        0x301E, 0xFF02);
    replace(map, "'", 0x2018, 0x2019, 0x201B, 0x02B9, 0x02BB, 0x02BC, 0x02BD, 0x02C8, 0x02CA, 0x02CB, 0x00B4,
        0x0060, 0x275B, 0x275C, 0x0313, 0x0314, 0xFE10, 0xFE11, 0xFF07, 0x2017);
    replace(map, "-", 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2043, 0x2212, 0x23BC, 0x23BD, 0xFE63,
        0xFF0D, 0x2022);
    // Unicode spaces become a plain space; invisible ones (zero width, word joiner, BOM, soft hyphen) vanish.
    replace(map, " ", 0x00A0, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009,
        0x200A, 0x202F, 0x205F, 0x3000, 0x2028, 0x2029);
    replace(map, "", 0x200B, 0x2060, 0xFEFF, 0x00AD);
    replace(map, "...", 0x2026);
    replace(map, "!!", 0x203C);
    replace(map, "1/4", 0x00BC);
    replace(map, "1/2", 0x00BD);
    replace(map, "3/4", 0x00BE);
    replace(map, "/", 0x00F7, 0x2044, 0x2215, 0x29F8, 0x0337, 0x0338, 0xFF0F);
    replace(map, "\\", 0x29F5, 0x29F9, 0x20E5, 0xFE68, 0xFF3C);
    replace(map, "_", 0x0332, 0xFF3F);
    replace(map, "|", 0x20D2, 0x20D3, 0x2223, 0x23B8, 0x23B9, 0x23D0, 0x239C, 0x239F, 0xFF5C);
    replace(map, "@", 0xFE6B, 0xFF20);
    replace(map, "$", 0xFE69, 0xFF04);
    replace(map, "!", 0x01C3, 0xFE15, 0xFE57, 0xFF01);
    replace(map, "#", 0xFE5F, 0xFF03);
    replace(map, "%", 0xFE6A, 0xFF05);
    replace(map, "&", 0xFE60, 0xFF06);
    replace(map, ",", 0x201A, 0x0326, 0x3001, 0xFE50, 0xFE51, 0xFF0C, 0xFF64);
    replace(map, "(", 0x2768, 0x276A, 0x27EE, 0x2985, 0xFE59, 0xFF08);
    replace(map, ")", 0x2769, 0x276B, 0x27EF, 0x2986, 0xFE5A, 0xFF09);
    replace(map, "*", 0x204E, 0x2217, 0x229B, 0x2722, 0x2723, 0x2724, 0x2725, 0x2731, 0x2732, 0x2733, 0x273A,
        0x273B, 0x273C, 0x273D, 0x2743, 0x2749, 0x274A, 0x274B, 0x29C6, 0xFE61, 0xFF0A);
    replace(map, "+", 0x02D6, 0xFE62, 0xFF0B);
    replace(map, ".", 0x3002, 0xFE52, 0xFF0E, 0xFF61);
    replace(map, ":", 0x02D0, 0x02F8, 0x2982, 0xA789, 0xFE13, 0xFF1A);
    replace(map, ";", 0x204F, 0xFE14, 0xFE54, 0xFF1B);
    replace(map, "<", 0x2039, 0xFE64, 0xFF1C);
    replace(map, ">", 0x203A, 0xFE65, 0xFF1E);
    replace(map, "=", 0x0347, 0xA78A, 0xFE66, 0xFF1D);
    replace(map, "?", 0xFE16, 0xFE56, 0xFF1F);
    replace(map, "^", 0x02C6, 0x0302, 0x1DCD, 0xFF3E);
    replace(map, "{", 0x2774, 0xFE5B, 0xFF5B);
    replace(map, "}", 0x2775, 0xFE5C, 0xFF5D);
    replace(map, "[", 0xFF3B);
    replace(map, "]", 0xFF3D);
    replace(map, "~", 0x02DC, 0x02F7, 0x0303, 0x0330, 0x0334, 0x223C, 0xFF5E);
    // Fullwidth digits and capitals, and small-capital letters, read as their ASCII counterparts.
    for (int digit = 0; digit <= 9; digit++) {
      replace(map, String.valueOf(digit), 0xFF10 + digit);
    }
    for (char letter = 'A'; letter <= 'Z'; letter++) {
      replace(map, String.valueOf(letter), 0xFF21 + (letter - 'A'));
    }
    String smallCapitals = "A\u1D00 B\u0299 C\u1D04 D\u1D05 E\u1D07 F\uA730 G\u0262 H\u029C I\u026A J\u1D0A"
        + " K\u1D0B L\u029F M\u1D0D N\u0274 O\u1D0F P\u1D18 R\u0280 S\uA731 T\u1D1B U\u1D1C V\u1D20 W\u1D21"
        + " Y\u028F Z\u1D22";
    for (String pair : smallCapitals.split(" ")) {
      replace(map, pair.substring(0, 1), pair.charAt(1));
    }
    return Map.copyOf(map);
  }

  private static void replace(Map<Integer, String> map, String replacement, int... codePoints) {
    for (int codePoint : codePoints) {
      if (map.put(codePoint, replacement) != null) {
        throw new IllegalStateException("duplicate smart-encoding entry U+%04X".formatted(codePoint));
      }
    }
  }
}
