package com.smsgateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.smsgateway.config.Config;
import com.smsgateway.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The claim lease must leave room for a renewal that waits the whole statement timeout, and the next one. */
class IdempotencyConfigTest {
  private static Config config(Map<String, String> env) {
    return Config.fromYaml("idempotency:\n  ttl: 24h\n", env);
  }

  @Test
  void theDefaultLeaseIsShortAndFitsTheDefaultStatementTimeout() {
    IdempotencyConfig config = IdempotencyConfig.from(config(Map.of()), Duration.ofSeconds(5));

    assertThat(config.inProgressTimeout()).isEqualTo(Duration.ofSeconds(8));
    assertThat(config.renewEvery()).isEqualTo(Duration.ofSeconds(8).dividedBy(6));
  }

  @Test
  void anUnsetLeaseFollowsALongerStatementTimeoutInsteadOfRefusingToStart() {
    IdempotencyConfig config = IdempotencyConfig.from(config(Map.of()), Duration.ofSeconds(10));

    assertThat(config.inProgressTimeout()).isEqualTo(Duration.ofSeconds(16));
  }

  @Test
  void aLeaseThatOneSlowRenewalCouldOutlastIsRefusedNamingTheKey() {
    Config config = config(Map.of("GATEWAY_IDEMPOTENCY_IN_PROGRESS_TIMEOUT", "7s"));

    assertThatThrownBy(() -> IdempotencyConfig.from(config, Duration.ofSeconds(5)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("idempotency.in_progress_timeout")
        .hasMessageContaining("GATEWAY_IDEMPOTENCY_IN_PROGRESS_TIMEOUT")
        .hasMessageContaining("pg.statement_timeout");
  }
}
