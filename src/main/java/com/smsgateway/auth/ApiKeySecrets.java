package com.smsgateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Key material. Keys are 256 random bits, so a plain SHA-256 is a safe stored form (no dictionary to
 * brute-force) and cheap enough to check on every request.
 */
final class ApiKeySecrets {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String KEY_PREFIX = "gw_";

  private ApiKeySecrets() {}

  static String newKey() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String newId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return "key_" + HexFormat.of().formatHex(bytes);
  }

  static byte[] hash(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
