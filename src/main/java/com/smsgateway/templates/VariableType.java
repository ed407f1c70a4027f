package com.smsgateway.templates;

import com.smsgateway.domain.DomainFailure;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The type of a template variable, declared in {@code conf/templates.yaml}. Pool numbers are approved for these
 * texts alone, so what a caller fills in is held to the type: a {@code text} can carry no link (a tenant must not turn
 * an approved template into a phishing text), a {@code url} only an absolute https URL.
 */
public enum VariableType {
  /** Plain words: no URLs or host names, no control or bidirectional-override characters, one line. */
  TEXT {
    @Override
    String check(String name, String value, int maxLength) {
      checkLength(name, value, maxLength);
      if (CONTROL.matcher(value).find()) {
        throw invalid(name, "must not contain control characters");
      }
      if (LINK.matcher(value).find()) {
        throw invalid(name, "is plain text and must not contain a URL or a host name (use a template's url variable)");
      }
      return value;
    }
  },
  /** An absolute {@code https} URL with a host, no user info, no blanks or control characters. */
  URL {
    @Override
    String check(String name, String value, int maxLength) {
      checkLength(name, value, maxLength);
      if (CONTROL.matcher(value).find() || value.chars().anyMatch(Character::isWhitespace)) {
        throw invalid(name, "must be an absolute https URL without blanks or control characters");
      }
      URI uri;
      try {
        uri = new URI(value);
      } catch (URISyntaxException e) {
        throw invalid(name, "must be an absolute https URL");
      }
      if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null) {
        throw invalid(name, "must be an absolute https URL (https://host/...)");
      }
      return value;
    }
  };

  /** C0/C1 controls (newlines too) and the Unicode bidirectional overrides, which can disguise a text. */
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\u202A-\\u202E\\u2066-\\u2069\\u200E\\u200F]");
  /** A scheme, {@code www.}, or a dotted name ending in a 2+ letter label (example.com, pay.example.io/x). */
  private static final Pattern LINK = Pattern.compile(
      "(?i)([a-z][a-z0-9+.-]*:/|www\\.|[\\p{L}\\p{N}-]+(\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,}(?=$|[\\s/:?#),;!'\"]))");

  /** The value as it goes into the text; a 422 {@code invalid_field} naming {@code variables.<name>} otherwise. */
  abstract String check(String name, String value, int maxLength);

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static VariableType fromWire(String value) {
    for (VariableType type : values()) {
      if (type.wire().equals(value)) {
        return type;
      }
    }
    throw new IllegalArgumentException(value);
  }

  private static void checkLength(String name, String value, int maxLength) {
    if (value.isBlank() || value.length() > maxLength) {
      throw invalid(name, "must be 1-" + maxLength + " characters");
    }
  }

  private static DomainFailure invalid(String name, String problem) {
    return DomainFailure.invalidField("variables." + name, problem);
  }
}
