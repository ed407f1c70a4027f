package com.smsgateway.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.smsgateway.config.Config;
import com.smsgateway.config.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwilioConfigTest {
  private static final String LIVE_SID = "AC0123456789abcdef0123456789abcdef";

  private static TwilioConfig read(Map<String, String> env) {
    return TwilioConfig.from(Config.fromYaml("public_base_url: https://sms.example.com/\n", env));
  }

  @Test
  void theSandboxIsChosenExplicitlyWithSandboxCredentialsAndTheGatewaysOwnSandboxRoutes() {
    TwilioConfig config = TwilioConfig.from(Config.fromYaml("public_base_url: http://127.0.0.1:8080/\n", Map.of("GATEWAY_TWILIO_MODE", "sandbox")));

    assertThat(config.sandbox()).isTrue();
    assertThat(config.platformAccount()).isEqualTo(new TwilioAccount(TwilioConfig.SANDBOX_ACCOUNT_SID, TwilioConfig.SANDBOX_AUTH_TOKEN));
    assertThat(config.apiBaseUrl()).contains("http://127.0.0.1:8080/sandbox/twilio");
    assertThat(config.retry()).isEqualTo(new TwilioConfig.Retry(4, Duration.ofMillis(200), Duration.ofSeconds(5)));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void liveIsTheDefaultAndRefusesToStartWithoutCredentialsNamingTheKeysAndVariables() {
    assertThatThrownBy(() -> read(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("twilio.account_sid").hasMessageContaining("GATEWAY_TWILIO_ACCOUNT_SID")
        .hasMessageContaining("twilio.auth_token").hasMessageContaining("GATEWAY_TWILIO_AUTH_TOKEN")
        .hasMessageContaining("GATEWAY_TWILIO_MODE=sandbox");
  }

  @Test
  void theSandboxRefusesAPublicBaseUrlUnlessAllowed() {
    for (String loopback : List.of("http://localhost:8080", "http://127.0.0.1:9000/x", "http://[::1]:8080")) {
      assertThat(TwilioConfig.from(Config.fromYaml("", Map.of("GATEWAY_TWILIO_MODE", "sandbox", "GATEWAY_PUBLIC_BASE_URL", loopback))).sandbox())
          .as(loopback).isTrue();
    }
    assertThatThrownBy(() -> read(Map.of("GATEWAY_TWILIO_MODE", "sandbox")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("public_base_url").hasMessageContaining("sandbox.allow_public");
    assertThat(read(Map.of("GATEWAY_TWILIO_MODE", "sandbox", "GATEWAY_SANDBOX_ALLOW_PUBLIC", "true")).sandbox()).isTrue();
  }

  @Test
  void liveModeGoesToTwilioWithTheConfiguredAccount() {
    TwilioConfig config = read(Map.of(
        "GATEWAY_TWILIO_MODE", "live",
        "GATEWAY_TWILIO_ACCOUNT_SID", LIVE_SID,
        "GATEWAY_TWILIO_AUTH_TOKEN", "live-token",
        "GATEWAY_TWILIO_RETRY_MAX_ATTEMPTS", "2",
        "GATEWAY_TWILIO_REQUEST_TIMEOUT", "3s"));

    assertThat(config.sandbox()).isFalse();
    assertThat(config.platformAccount()).isEqualTo(new TwilioAccount(LIVE_SID, "live-token"));
    assertThat(config.apiBaseUrl()).isEmpty();
    assertThat(config.retry().maxAttempts()).isEqualTo(2);
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void liveModeRequiresTheAccountNamingTheKey() {
    assertThatThrownBy(() -> read(Map.of("GATEWAY_TWILIO_MODE", "live", "GATEWAY_TWILIO_AUTH_TOKEN", "t")))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).key()).isEqualTo("twilio.account_sid");
    assertThatThrownBy(() -> read(Map.of("GATEWAY_TWILIO_MODE", "live", "GATEWAY_TWILIO_ACCOUNT_SID", LIVE_SID)))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).key()).isEqualTo("twilio.auth_token");
  }

  @Test
  void rejectsInvalidValuesNamingTheKey() {
    assertThatThrownBy(() -> read(Map.of("GATEWAY_TWILIO_MODE", "test")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("twilio.mode");
    assertThatThrownBy(() -> read(Map.of("GATEWAY_TWILIO_ACCOUNT_SID", "12345", "GATEWAY_TWILIO_AUTH_TOKEN", "t")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("twilio.account_sid");
    assertThatThrownBy(() -> read(Map.of("GATEWAY_TWILIO_MODE", "sandbox", "GATEWAY_SANDBOX_ALLOW_PUBLIC", "true",
        "GATEWAY_TWILIO_API_BASE_URL", "ftp://x")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("twilio.api_base_url");
    assertThatThrownBy(() -> read(Map.of("GATEWAY_TWILIO_MODE", "sandbox", "GATEWAY_SANDBOX_ALLOW_PUBLIC", "true",
        "GATEWAY_TWILIO_RETRY_INITIAL_BACKOFF", "10s")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("twilio.retry.max_backoff");
  }

  @Test
  void anApiBaseUrlOverridesWhereRequestsGoInEitherMode() {
    assertThat(read(Map.of("GATEWAY_TWILIO_MODE", "sandbox", "GATEWAY_SANDBOX_ALLOW_PUBLIC", "true",
        "GATEWAY_TWILIO_API_BASE_URL", "http://127.0.0.1:9999/")).apiBaseUrl()).contains("http://127.0.0.1:9999");
  }

  @Test
  void theAuthTokenNeverAppearsInTheAccountsText() {
    assertThat(new TwilioAccount(LIVE_SID, "secret-token").toString()).contains(LIVE_SID).doesNotContain("secret-token");
  }
}
