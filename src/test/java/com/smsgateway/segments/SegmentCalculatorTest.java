package com.smsgateway.segments;

import static com.smsgateway.segments.Encoding.GSM_7;
import static com.smsgateway.segments.Encoding.UCS_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every expected value below is worked out by hand from the 160/153 and 70/67 rules, not by the calculator. */
class SegmentCalculatorTest {

  private static final String EMOJI = "😀"; // U+1F600: a surrogate pair, two UTF-16 units
  private static final String NOT_GSM = "ç"; // only the capital Ç is in the GSM-7 alphabet

  static Stream<Arguments> bodies() {
    return Stream.of(
        // GSM-7, plain characters
        row("empty body: one segment of nothing", "", GSM_7, 0, 0),
        row("short text", "Hello", GSM_7, 5, 5),
        row("153 septets", a(153), GSM_7, 153, 153),
        row("160 septets: still one segment", a(160), GSM_7, 160, 160),
        row("161 septets: two parts", a(161), GSM_7, 161, 153, 8),
        row("306 septets: two full parts", a(306), GSM_7, 306, 153, 153),
        row("307 septets: a third part of one", a(307), GSM_7, 307, 153, 153, 1),
        row("459 septets: three full parts", a(459), GSM_7, 459, 153, 153, 153),
        row("460 septets: four parts", a(460), GSM_7, 460, 153, 153, 153, 1),
        row("1600 septets: the longest body", a(1600), GSM_7, 1600, parts(153, 10, 70)),
        row("newline is one septet", a(80) + "\n" + a(79), GSM_7, 160, 160),
        row("CR LF pairs", "\r\n".repeat(80), GSM_7, 160, 160),
        row("whole basic alphabet: 127 characters", basicAlphabet(), GSM_7, 127, 127),
        row("Greek capitals are GSM-7", "ΔΦΓΛΩΠΨΣΘΞ", GSM_7, 10, 10),
        row("German and Spanish letters are GSM-7", "ÄÖÜäöüßÑñ¿¡", GSM_7, 11, 11),
        // GSM-7 extension table: two septets each
        row("euro sign", "€", GSM_7, 2, 2),
        row("form feed", "\f", GSM_7, 2, 2),
        row("whole extension table", "\f^{}\\[]~|€", GSM_7, 20, 20),
        row("158 + euro = 160: one segment", a(158) + "€", GSM_7, 160, 160),
        row("159 + euro = 161: two parts", a(159) + "€", GSM_7, 161, 153, 8),
        row("euro on septets 152-153 fits the first part", a(151) + "€" + a(10), GSM_7, 163, 153, 10),
        row("euro at the 153rd septet moves to part two", a(152) + "€" + a(10), GSM_7, 164, 152, 12),
        row("brace at the 153rd septet, three parts", a(152) + "{" + a(153), GSM_7, 307, 152, 153, 2),
        row("80 euros: 160 septets, one segment", "€".repeat(80), GSM_7, 160, 160),
        row("81 euros: 76 fit in part one", "€".repeat(81), GSM_7, 162, 152, 10),
        // UCS-2
        row("one non-GSM character", NOT_GSM, UCS_2, 1, 1),
        row("grave accent is not GSM-7", "`", UCS_2, 1, 1),
        row("tab is not GSM-7", "\t", UCS_2, 1, 1),
        row("accented letter outside GSM-7", "Ünïcödé", UCS_2, 7, 7),
        row("67 units", "你".repeat(67), UCS_2, 67, 67),
        row("70 units: one segment", NOT_GSM + a(69), UCS_2, 70, 70),
        row("71 units: two parts", NOT_GSM + a(70), UCS_2, 71, 67, 4),
        row("134 units: two full parts", NOT_GSM + a(133), UCS_2, 134, 67, 67),
        row("135 units: a third part of one", NOT_GSM + a(134), UCS_2, 135, 67, 67, 1),
        row("one UCS character makes 159 GSM characters UCS-2", a(159) + NOT_GSM, UCS_2, 160, 67, 67, 26),
        row("euro is one unit in UCS-2", NOT_GSM + "€".repeat(69), UCS_2, 70, 70),
        row("1600 UCS-2 characters", NOT_GSM.repeat(1600), UCS_2, 1600, parts(67, 23, 59)),
        // Characters outside the BMP: two units, never split
        row("one emoji", EMOJI, UCS_2, 2, 2),
        row("35 emoji: 70 units, one segment", EMOJI.repeat(35), UCS_2, 70, 70),
        row("36 emoji: 33 fit in a 67-unit part", EMOJI.repeat(36), UCS_2, 72, 66, 6),
        row("emoji on units 66-67 fits the first part", a(65) + EMOJI + a(10), UCS_2, 77, 67, 10),
        row("emoji at the 67th unit moves to part two", a(66) + EMOJI + a(10), UCS_2, 78, 66, 12),
        row("emoji after 153 GSM characters", a(153) + EMOJI, UCS_2, 155, 67, 67, 21),
        row("800 emoji: 1600 code points", EMOJI.repeat(800), UCS_2, 1600, parts(66, 24, 16)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  void countsSegments(String description, String body, Encoding encoding, int characters, List<Integer> parts) {
    SegmentInfo info = SegmentCalculator.calculate(body);

    assertThat(info.encoding()).isEqualTo(encoding);
    assertThat(info.characters()).isEqualTo(characters);
    assertThat(info.charactersPerPart()).containsExactlyElementsOf(parts);
    assertThat(info.segments()).isEqualTo(parts.size());
  }

  @Test
  void acceptsBodiesUpTo1600CodePoints() {
    SegmentCalculator.checkBodyLength(a(1600));
    SegmentCalculator.checkBodyLength(EMOJI.repeat(1600)); // 3,200 UTF-16 units, but 1,600 characters
  }

  @Test
  void refusesBodiesOver1600CodePoints() {
    assertThatThrownBy(() -> SegmentCalculator.checkBodyLength(a(1601)))
        .isInstanceOf(BodyTooLongException.class)
        .hasMessageContaining("1601")
        .extracting(e -> ((BodyTooLongException) e).length()).isEqualTo(1601);
    assertThatThrownBy(() -> SegmentCalculator.checkBodyLength(EMOJI.repeat(1601)))
        .isInstanceOf(BodyTooLongException.class);
  }

  @Test
  void smartEncodingReplacesLookAlikesAndLeavesUcs2() {
    SmartEncodingResult result = SmartEncoding.apply("“Hello” – it’s… here\u00A0now • ok");

    assertThat(result.body()).isEqualTo("\"Hello\" - it's... here now - ok");
    assertThat(result.body()).isNotEqualTo(result.originalBody());
    assertThat(result.original().encoding()).isEqualTo(UCS_2);
    assertThat(result.smartEncoded().encoding()).isEqualTo(GSM_7);
  }

  @Test
  void smartEncodingReportsFewerSegments() {
    // 100 characters with one curly apostrophe: UCS-2 67 + 33 = 2 segments; smart-encoded GSM-7: 1 segment.
    String body = a(50) + "’" + a(49);

    SmartEncodingResult result = SmartEncoding.apply(body);

    assertThat(result.original().segments()).isEqualTo(2);
    assertThat(result.smartEncoded().segments()).isEqualTo(1);
    assertThat(result.segmentCountChanged()).isTrue();
  }

  @Test
  void smartEncodingKeepsCharactersWithoutLookAlike() {
    SmartEncodingResult result = SmartEncoding.apply("Thanks! " + EMOJI + " “see you”");

    assertThat(result.body()).isEqualTo("Thanks! " + EMOJI + " \"see you\"");
    assertThat(result.smartEncoded().encoding()).isEqualTo(UCS_2);
    assertThat(result.segmentCountChanged()).isFalse();
  }

  @Test
  void smartEncodingLeavesGsmBodiesAlone() {
    SmartEncodingResult result = SmartEncoding.apply("Your code is 1234. Reply STOP to opt out.");

    assertThat(result.body()).isEqualTo("Your code is 1234. Reply STOP to opt out.");
    assertThat(result.segmentCountChanged()).isFalse();
  }

  @Test
  void smartEncodingMapsSpacesFullwidthFormsAndFractions() {
    SmartEncodingResult result = SmartEncoding.apply("a\u2003b\u200Bc ＡＢＣ１２３ ½ −5 —");

    assertThat(result.body()).isEqualTo("a bc ABC123 1/2 -5 -");
    assertThat(result.smartEncoded().encoding()).isEqualTo(GSM_7);
  }

  private static Arguments row(String description, String body, Encoding encoding, int characters, int... parts) {
    return Arguments.of(description, body, encoding, characters, Arrays.stream(parts).boxed().toList());
  }

  private static Arguments row(String description, String body, Encoding encoding, int characters,
      List<Integer> parts) {
    return Arguments.of(description, body, encoding, characters, parts);
  }

  /** {@code count} full parts of {@code size} units, then a last part of {@code last} units. */
  private static List<Integer> parts(int size, int count, int last) {
    List<Integer> parts = new ArrayList<>(Collections.nCopies(count, size));
    parts.add(last);
    return parts;
  }

  private static String a(int count) {
    return "a".repeat(count);
  }

  private static String basicAlphabet() {
    return "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
        + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  }
}
