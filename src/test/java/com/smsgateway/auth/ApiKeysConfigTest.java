package com.smsgateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.smsgateway.config.Config;
import com.smsgateway.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiKeysConfigTest {
  private static ApiKeysConfig config(Map<String, String> env) {
    return ApiKeysConfig.from(Config.fromYaml("{}", env));
  }

  @Test
  void defaultsToATwoSecondCacheOfTenThousandKeys() {
    ApiKeysConfig config = config(Map.of());

    assertThat(config.cacheTtl()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.cacheMaxEntries()).isEqualTo(10_000);
  }

  @Test
  void aZeroTtlIsAccepted() {
    assertThat(config(Map.of("GATEWAY_API_KEYS_CACHE_TTL", "0s")).cacheTtl()).isZero();
  }

  @Test
  void readsTheYamlSection() {
    ApiKeysConfig config = ApiKeysConfig.from(Config.fromYaml("api_keys: {cache_ttl: 500ms, cache_max_entries: 50}", Map.of()));

    assertThat(config).isEqualTo(new ApiKeysConfig(Duration.ofMillis(500), 50));
  }

  @ParameterizedTest
  @CsvSource({
      "GATEWAY_API_KEYS_CACHE_TTL, PT-1S, api_keys.cache_ttl",
      "GATEWAY_API_KEYS_CACHE_TTL, -1s, api_keys.cache_ttl",
      "GATEWAY_API_KEYS_CACHE_TTL, two seconds, api_keys.cache_ttl",
      "GATEWAY_API_KEYS_CACHE_MAX_ENTRIES, -5, api_keys.cache_max_entries",
      "GATEWAY_API_KEYS_CACHE_MAX_ENTRIES, 0, api_keys.cache_max_entries",
      "GATEWAY_API_KEYS_CACHE_MAX_ENTRIES, many, api_keys.cache_max_entries"})
  void aNegativeOrUnparsableValueIsRefusedNamingTheKey(String envName, String value, String key) {
    assertThatThrownBy(() -> config(Map.of(envName, value)))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).key()).isEqualTo(key);
  }
}
