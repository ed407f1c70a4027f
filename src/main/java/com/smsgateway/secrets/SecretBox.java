package com.smsgateway.secrets;

import com.smsgateway.config.Config;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets the gateway must keep (a BYO Twilio account's auth token) with AES-256-GCM. Each ciphertext is
 * stored with the id of the key that sealed it: new secrets are sealed with {@code secrets.key}; older keys listed in
 * {@code secrets.keys} still open what they sealed, so a key can be rotated without re-entering every token.
 * A key id is derived from the key itself (the first 8 bytes of its SHA-256, hex), so it never needs configuring.
 */
public final class SecretBox {
  private static final int KEY_BYTES = 32;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  /** The sandbox's fixed key, so dev mode and tests need no configuration; never used in live mode. */
  static final String SANDBOX_KEY = Base64.getEncoder().encodeToString("sandbox-secrets-key-not-secret!!".getBytes(StandardCharsets.US_ASCII));

  /** A sealed secret: base64 of iv || ciphertext || tag, and the id of the key that sealed it. */
  public record Sealed(String keyId, String ciphertext) {}

  private final Optional<String> currentKeyId;
  private final Map<String, SecretKey> keys;
  private final SecureRandom random = new SecureRandom();

  SecretBox(Optional<byte[]> current, List<byte[]> previous) {
    Map<String, SecretKey> byId = new LinkedHashMap<>();
    current.ifPresent(key -> byId.put(keyId(key), new SecretKeySpec(key, "AES")));
    previous.forEach(key -> byId.putIfAbsent(keyId(key), new SecretKeySpec(key, "AES")));
    this.currentKeyId = current.map(SecretBox::keyId);
    this.keys = Map.copyOf(byId);
  }

  /**
   * {@code secrets.key} (base64 of 32 bytes; GATEWAY_SECRETS_KEY) and {@code secrets.keys} (older keys, comma
   * separated; GATEWAY_SECRETS_KEYS). Without a key, sandbox mode uses a fixed key and live mode cannot seal (BYO
   * registration answers 503 until one is configured).
   */
  public static SecretBox from(Config root, boolean sandbox) {
    Config config = root.at("secrets");
    Optional<byte[]> current = config.optionalString("key").map(value -> decodeKey(config, "key", value));
    if (current.isEmpty() && sandbox) {
      current = Optional.of(Base64.getDecoder().decode(SANDBOX_KEY));
    }
    List<byte[]> previous = config.list("keys", List.of()).stream().map(value -> decodeKey(config, "keys", value)).toList();
    return new SecretBox(current, previous);
  }

  private static byte[] decodeKey(Config config, String key, String value) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(value.trim());
    } catch (IllegalArgumentException e) {
      throw config.invalid(key, "<hidden>", "must be base64 (e.g. openssl rand -base64 32)");
    }
    if (bytes.length != KEY_BYTES) {
      throw config.invalid(key, "<hidden>", "must be base64 of exactly " + KEY_BYTES + " bytes, not " + bytes.length);
    }
    return bytes;
  }

  static String keyId(byte[] key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  /** Whether new secrets can be sealed (a current key is configured). */
  public boolean canSeal() {
    return currentKeyId.isPresent();
  }

  public Sealed seal(String plaintext) {
    String keyId = currentKeyId.orElseThrow(() -> new IllegalStateException("secrets.key is not configured"));
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(keyId), new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(keyId.getBytes(StandardCharsets.US_ASCII));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return new Sealed(keyId, Base64.getEncoder().encodeToString(ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /** The plaintext; fails when the key id is not configured (any more) or the ciphertext was altered. */
  public String open(Sealed sealed) {
    SecretKey key = keys.get(sealed.keyId());
    if (key == null) {
      throw new IllegalStateException("No configured key has id " + sealed.keyId() + " (add the old key to secrets.keys)");
    }
    byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext());
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
      cipher.updateAAD(sealed.keyId().getBytes(StandardCharsets.US_ASCII));
      return new String(cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("A sealed secret (key " + sealed.keyId() + ") could not be opened: altered or wrong key", e);
    }
  }

  /** Whether the secret was sealed with an older key (re-sealing it with the current key completes a rotation). */
  public boolean isStale(Sealed sealed) {
    return currentKeyId.isPresent() && !currentKeyId.get().equals(sealed.keyId());
  }
}
