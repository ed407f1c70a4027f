package com.smsgateway.config;

import java.net.URI;

/** What the gateway accepts as a URL to call: absolute, http or https, with a host. */
public final class HttpUrl {
  private HttpUrl() {}

  public static boolean isValid(String value) {
    try {
      URI uri = URI.create(value);
      return uri.getHost() != null && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
