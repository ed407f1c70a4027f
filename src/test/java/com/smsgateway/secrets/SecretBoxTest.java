package com.smsgateway.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.smsgateway.config.Config;
import com.smsgateway.config.ConfigException;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
  private static final String OLD_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
  private static final String NEW_KEY = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());

  private static SecretBox box(Map<String, String> env, boolean sandbox) {
    return SecretBox.from(Config.fromYaml("", env), sandbox);
  }

  @Test
  void sealsWithAFreshIvAndOpens() {
    SecretBox box = box(Map.of("GATEWAY_SECRETS_KEY", NEW_KEY), false);

    SecretBox.Sealed first = box.seal("auth-token-1");
    SecretBox.Sealed second = box.seal("auth-token-1");

    assertThat(first.ciphertext()).isNotEqualTo(second.ciphertext()).doesNotContain("auth-token-1");
    assertThat(box.open(first)).isEqualTo("auth-token-1");
  }

  @Test
  void aRotatedKeyStillOpensWhatItSealed() {
    SecretBox.Sealed sealedBefore = box(Map.of("GATEWAY_SECRETS_KEY", OLD_KEY), false).seal("token");
    SecretBox rotated = box(Map.of("GATEWAY_SECRETS_KEY", NEW_KEY, "GATEWAY_SECRETS_KEYS", OLD_KEY), false);

    assertThat(rotated.open(sealedBefore)).isEqualTo("token");
    assertThat(rotated.isStale(sealedBefore)).isTrue();
    assertThat(rotated.seal("token").keyId()).isNotEqualTo(sealedBefore.keyId());
    assertThatThrownBy(() -> box(Map.of("GATEWAY_SECRETS_KEY", NEW_KEY), false).open(sealedBefore))
        .hasMessageContaining("secrets.keys");
  }

  @Test
  void anAlteredCiphertextDoesNotOpen() {
    SecretBox box = box(Map.of("GATEWAY_SECRETS_KEY", NEW_KEY), false);
    SecretBox.Sealed sealed = box.seal("token");
    byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext());
    bytes[bytes.length - 1] ^= 1;

    assertThatThrownBy(() -> box.open(new SecretBox.Sealed(sealed.keyId(), Base64.getEncoder().encodeToString(bytes))))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void keysAreValidatedAndLiveModeNeedsOne() {
    assertThatThrownBy(() -> box(Map.of("GATEWAY_SECRETS_KEY", "c2hvcnQ="), false))
        .isInstanceOf(ConfigException.class).hasMessageContaining("secrets.key").hasMessageNotContaining("c2hvcnQ=");
    assertThat(box(Map.of(), false).canSeal()).isFalse();
    assertThat(box(Map.of(), true).canSeal()).isTrue();
  }
}
