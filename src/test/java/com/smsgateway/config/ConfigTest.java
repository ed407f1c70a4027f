package com.smsgateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
  private static final String YAML = """
      public_base_url: https://sms.example.com/
      http:
        port: 8080
      pg:
        url: postgresql://postgres@127.0.0.1:5432/test
      redis:
        url: redis://127.0.0.1:6379
      calls:
        max_duration: 4h
      """;

  @Test
  void invalidPortFromTheEnvironmentFailsNamingTheKeyAndTheVariable() {
    Config config = Config.fromYaml(YAML, Map.of("GATEWAY_HTTP_PORT", "abc"));

    assertThatThrownBy(() -> GatewayConfig.from(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.port")
        .hasMessageContaining("GATEWAY_HTTP_PORT")
        .hasMessageContaining("abc");
  }

  @Test
  void startUpConfigurationFromTheDefaultFileIsValid() {
    GatewayConfig config = GatewayConfig.from(Config.load(Map.of(Config.CONFIG_FILE_ENV, "conf/gateway.yaml")));

    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.redis().keyPrefix()).isEqualTo("gw:");
  }

  @Test
  void everyKeyIsOverriddenByItsEnvironmentNameUnderOneRule() {
    Config config = Config.fromYaml(YAML, Map.of(
        "GATEWAY_PUBLIC_BASE_URL", "https://other.example.com",
        "GATEWAY_CALLS_MAX_DURATION", "90m",
        "GATEWAY_SOME_FEATURE_KEY", "x"));

    assertThat(config.string("public_base_url", null)).isEqualTo("https://other.example.com");
    assertThat(config.at("calls").duration("max_duration", Duration.ZERO)).isEqualTo(Duration.ofMinutes(90));
    assertThat(config.at("some.feature").string("key", null)).isEqualTo("x");
    assertThat(Config.envName("call_sessions.url")).isEqualTo("GATEWAY_CALL_SESSIONS_URL");
    assertThat(Config.envName("twilio.account-sid")).isEqualTo("GATEWAY_TWILIO_ACCOUNT_SID");
  }

  @Test
  void trailingSlashOfThePublicUrlIsDropped() {
    assertThat(GatewayConfig.from(Config.fromYaml(YAML, Map.of())).publicBaseUrl()).isEqualTo("https://sms.example.com");
  }

  @Test
  void outOfRangePortFailsNamingTheKey() {
    assertThatThrownBy(() -> GatewayConfig.from(Config.fromYaml(YAML, Map.of("GATEWAY_HTTP_PORT", "70000"))))
        .hasMessageContaining("http.port").hasMessageContaining("between 0 and 65535");
  }

  @Test
  void badDurationFailsNamingTheKey() {
    assertThatThrownBy(() -> GatewayConfig.from(Config.fromYaml(YAML, Map.of("GATEWAY_SHUTDOWN_DRAIN_TIMEOUT", "soon"))))
        .hasMessageContaining("shutdown.drain_timeout");
  }

  @Test
  void unknownRedisModeFailsListingTheChoices() {
    assertThatThrownBy(() -> GatewayConfig.from(Config.fromYaml(YAML, Map.of("GATEWAY_REDIS_MODE", "galaxy"))))
        .hasMessageContaining("redis.mode").hasMessageContaining("standalone, cluster, sentinel");
  }

  @Test
  void missingRequiredKeyNamesItsEnvironmentVariable() {
    assertThatThrownBy(() -> GatewayConfig.from(Config.fromYaml("public_base_url: http://x", Map.of())))
        .hasMessageContaining("pg.url").hasMessageContaining("GATEWAY_PG_URL");
  }

  @Test
  void schemaNameMustBeAPlainIdentifier() {
    assertThatThrownBy(() -> GatewayConfig.from(Config.fromYaml(YAML, Map.of("GATEWAY_PG_SCHEMA", "x; DROP TABLE y"))))
        .hasMessageContaining("pg.schema");
  }

  @Test
  void listsComeFromYamlSequencesOrCommaSeparatedVariables() {
    Config config = Config.fromYaml("redis:\n  endpoints: [redis://a:1, redis://b:2]\n", Map.of("GATEWAY_X_Y", "p, q"));

    assertThat(config.at("redis").list("endpoints", List.of())).containsExactly("redis://a:1", "redis://b:2");
    assertThat(config.list("x.y", List.of())).containsExactly("p", "q");
  }

  @Test
  void clusterModeTakesEveryEndpoint() {
    GatewayConfig config = GatewayConfig.from(Config.fromYaml(YAML, Map.of(
        "GATEWAY_REDIS_MODE", "cluster", "GATEWAY_REDIS_ENDPOINTS", "redis://a:7000,redis://b:7001")));

    assertThat(config.redis().mode()).isEqualTo(GatewayConfig.RedisMode.CLUSTER);
    assertThat(config.redis().endpoints()).containsExactly("redis://a:7000", "redis://b:7001");
  }
}
