package com.smsgateway.logging;

import java.util.regex.Pattern;

/**
 * What never appears whole in a log line: phone numbers (E.164, shown as {@code +1******0123}: enough to tell two
 * apart in an investigation, not enough to text the person) and the password of a URL's userinfo
 * ({@code postgresql://user:****@host}). Applied by the log layouts to every message and stack trace, and by
 * start-up errors printed before logging is up.
 */
public final class LogMasking {
  /** '+', the first digit, the middle (masked), the last four: 11 to 15 digits in all. */
  static final String PHONE_REGEX = "\\+([1-9])\\d{6,10}(\\d{4})(?!\\d)";
  static final String PHONE_MASK = "+$1******$2";
  /** scheme://user:password@ — the password is replaced. */
  static final String URL_PASSWORD_REGEX = "([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\\s]*:)[^@\\s/]+@";
  static final String URL_PASSWORD_MASK = "$1****@";

  private static final Pattern PHONE = Pattern.compile(PHONE_REGEX);
  private static final Pattern URL_PASSWORD = Pattern.compile(URL_PASSWORD_REGEX);

  private LogMasking() {}

  public static String mask(String text) {
    if (text == null || (text.indexOf('+') < 0 && text.indexOf('@') < 0)) {
      return text;
    }
    return PHONE.matcher(URL_PASSWORD.matcher(text).replaceAll(URL_PASSWORD_MASK)).replaceAll(PHONE_MASK);
  }
}
