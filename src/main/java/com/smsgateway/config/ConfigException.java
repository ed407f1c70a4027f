package com.smsgateway.config;

/** A configuration value is missing or invalid; the message names the key and where it came from. */
public final class ConfigException extends RuntimeException {
  private final String key;

  public ConfigException(String key, String message) {
    super("Invalid configuration '" + key + "': " + message);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
