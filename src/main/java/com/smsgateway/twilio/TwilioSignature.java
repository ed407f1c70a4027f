package com.smsgateway.twilio;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's request signature ({@code X-Twilio-Signature}): Base64(HMAC-SHA1(auth token, URL + every POST
 * parameter's name and value, sorted by name and then by value)). Used to verify Twilio's webhooks and, in
 * the sandbox, to sign the webhooks it sends the way Twilio would.
 */
public final class TwilioSignature {
  public static final String HEADER = "X-Twilio-Signature";
  private static final String HMAC_SHA1 = "HmacSHA1";

  private TwilioSignature() {}

  /** The signature Twilio sends for a POST of {@code params} to {@code url}. */
  public static String compute(String authToken, String url, Iterable<Map.Entry<String, String>> params) {
    List<Map.Entry<String, String>> sorted = new ArrayList<>();
    params.forEach(sorted::add);
    sorted.sort(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
    StringBuilder signed = new StringBuilder(url);
    sorted.forEach(param -> signed.append(param.getKey()).append(param.getValue()));
    try {
      Mac mac = Mac.getInstance(HMAC_SHA1);
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), HMAC_SHA1));
      return Base64.getEncoder().encodeToString(mac.doFinal(signed.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is unavailable in this JVM", e);
    }
  }

  /**
   * Whether {@code signature} (the header's value, null when absent) is Twilio's for this request. Twilio
   * signs sometimes with and sometimes without the scheme's default port, so both forms of the URL are
   * accepted, as Twilio's own libraries do.
   */
  public static boolean matches(String authToken, String url, Iterable<Map.Entry<String, String>> params, String signature) {
    if (signature == null || signature.isEmpty()) {
      return false;
    }
    byte[] presented = signature.getBytes(StandardCharsets.UTF_8);
    if (constantTimeEquals(compute(authToken, url, params), presented)) {
      return true;
    }
    return withDefaultPortToggled(url)
        .map(other -> constantTimeEquals(compute(authToken, other, params), presented))
        .orElse(false);
  }

  private static boolean constantTimeEquals(String expected, byte[] presented) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented);
  }

  /** The URL with its default port removed when it names it, or added when it names none. */
  static Optional<String> withDefaultPortToggled(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String scheme = uri.getScheme();
    String authority = uri.getRawAuthority();
    if (scheme == null || authority == null || uri.getHost() == null) {
      return Optional.empty();
    }
    int defaultPort = switch (scheme.toLowerCase(java.util.Locale.ROOT)) {
      case "https" -> 443;
      case "http" -> 80;
      default -> -1;
    };
    String toggled;
    if (uri.getPort() == -1 && defaultPort != -1) {
      toggled = authority + ":" + defaultPort;
    } else if (uri.getPort() == defaultPort && defaultPort != -1) {
      toggled = authority.substring(0, authority.lastIndexOf(':'));
    } else {
      return Optional.empty();
    }
    int authorityStart = url.indexOf("://") + 3;
    return Optional.of(url.substring(0, authorityStart) + toggled + url.substring(authorityStart + authority.length()));
  }
}
