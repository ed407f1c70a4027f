package com.smsgateway.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwilioSignatureTest {
  // Twilio's published example (https://www.twilio.com/docs/usage/security#validating-requests).
  private static final String AUTH_TOKEN = "12345";
  private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
  private static final String SIGNATURE = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
  private static final List<Map.Entry<String, String>> PARAMS = List.of(
      Map.entry("CallSid", "CA1234567890ABCDE"),
      Map.entry("Caller", "+12349013030"),
      Map.entry("Digits", "1234"),
      Map.entry("From", "+12349013030"),
      Map.entry("To", "+18005551212"));

  @Test
  void computesTwiliosPublishedSignature() {
    assertThat(TwilioSignature.compute(AUTH_TOKEN, URL, PARAMS)).isEqualTo(SIGNATURE);
  }

  @Test
  void parameterOrderDoesNotMatter() {
    List<Map.Entry<String, String>> shuffled = List.of(PARAMS.get(3), PARAMS.get(0), PARAMS.get(4), PARAMS.get(2), PARAMS.get(1));
    assertThat(TwilioSignature.matches(AUTH_TOKEN, URL, shuffled, SIGNATURE)).isTrue();
  }

  @Test
  void rejectsTamperedBody() {
    List<Map.Entry<String, String>> tampered = List.of(
        PARAMS.get(0), PARAMS.get(1), Map.entry("Digits", "1235"), PARAMS.get(3), PARAMS.get(4));
    assertThat(TwilioSignature.matches(AUTH_TOKEN, URL, tampered, SIGNATURE)).isFalse();
  }

  @Test
  void rejectsAnAddedParameter() {
    List<Map.Entry<String, String>> extended = new java.util.ArrayList<>(PARAMS);
    extended.add(Map.entry("Body", "hi"));
    assertThat(TwilioSignature.matches(AUTH_TOKEN, URL, extended, SIGNATURE)).isFalse();
  }

  @Test
  void rejectsWrongUrl() {
    assertThat(TwilioSignature.matches(AUTH_TOKEN, "https://mycompany.com/myapp.php?foo=1&bar=3", PARAMS, SIGNATURE)).isFalse();
    assertThat(TwilioSignature.matches(AUTH_TOKEN, "http://mycompany.com/myapp.php?foo=1&bar=2", PARAMS, SIGNATURE)).isFalse();
  }

  @Test
  void rejectsWrongToken() {
    assertThat(TwilioSignature.matches("54321", URL, PARAMS, SIGNATURE)).isFalse();
  }

  @Test
  void rejectsMissingOrEmptyHeader() {
    assertThat(TwilioSignature.matches(AUTH_TOKEN, URL, PARAMS, null)).isFalse();
    assertThat(TwilioSignature.matches(AUTH_TOKEN, URL, PARAMS, "")).isFalse();
  }

  @Test
  void acceptsTheUrlWithTheDefaultPortWhenSignedWithout() {
    assertThat(TwilioSignature.matches(AUTH_TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2", PARAMS, SIGNATURE)).isTrue();
  }

  @Test
  void acceptsTheUrlWithoutTheDefaultPortWhenSignedWith() {
    String withPort = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
    String signedWithPort = TwilioSignature.compute(AUTH_TOKEN, withPort, PARAMS);
    assertThat(signedWithPort).isNotEqualTo(SIGNATURE);
    assertThat(TwilioSignature.matches(AUTH_TOKEN, URL, PARAMS, signedWithPort)).isTrue();
  }

  @Test
  void onlyTheSchemesDefaultPortIsInterchangeable() {
    assertThat(TwilioSignature.matches(AUTH_TOKEN, "https://mycompany.com:80/myapp.php?foo=1&bar=2", PARAMS, SIGNATURE)).isFalse();
    assertThat(TwilioSignature.matches(AUTH_TOKEN, "https://mycompany.com:8443/myapp.php?foo=1&bar=2", PARAMS, SIGNATURE)).isFalse();
    assertThat(TwilioSignature.withDefaultPortToggled("http://localhost/twilio/status")).contains("http://localhost:80/twilio/status");
    assertThat(TwilioSignature.withDefaultPortToggled("http://localhost:80/twilio/status")).contains("http://localhost/twilio/status");
  }

  @Test
  void multiValuedParametersAreSortedByNameThenValue() {
    List<Map.Entry<String, String>> oneOrder = List.of(Map.entry("MediaUrl", "b"), Map.entry("To", "+1"), Map.entry("MediaUrl", "a"));
    List<Map.Entry<String, String>> otherOrder = List.of(Map.entry("MediaUrl", "a"), Map.entry("MediaUrl", "b"), Map.entry("To", "+1"));
    assertThat(TwilioSignature.compute(AUTH_TOKEN, URL, oneOrder))
        .isEqualTo(TwilioSignature.compute(AUTH_TOKEN, URL, otherOrder))
        .isEqualTo(TwilioSignature.compute(AUTH_TOKEN, URL + "MediaUrlaMediaUrlbTo+1", List.of()));
  }
}
