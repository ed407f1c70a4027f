package com.smsgateway.dependency;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.smsgateway.config.Config;
import com.smsgateway.config.ConfigException;
import com.smsgateway.config.GatewayConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start-up refuses a dependency deadline that is not shorter than a lease protecting work that waits on it. */
class DeadlineCheckTest {
  private static GatewayConfig config(Map<String, String> env) {
    return GatewayConfig.from(Config.fromYaml("public_base_url: http://localhost:8080\npg:\n  url: postgresql://x@db/y", env));
  }

  @Test
  void aStatementTimeoutAsLongAsALeaseIsRefusedNamingBoth() {
    GatewayConfig config = config(Map.of("GATEWAY_PG_STATEMENT_TIMEOUT", "10s"));

    assertThatThrownBy(() -> DeadlineCheck.verify(config, Map.of("inbound.dispatch_grace", Duration.ofSeconds(10))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pg.statement_timeout")
        .hasMessageContaining("inbound.dispatch_grace");
  }

  @Test
  void aRedisCommandTimeoutLongerThanALeaseIsRefused() {
    GatewayConfig config = config(Map.of("GATEWAY_REDIS_COMMAND_TIMEOUT", "20s"));

    assertThatThrownBy(() -> DeadlineCheck.verify(config, Map.of("call_sessions.lease", Duration.ofSeconds(15))))
        .hasMessageContaining("redis.command_timeout");
  }

  @Test
  void theDefaultsFitTheDefaultLeases() {
    assertThatCode(() -> DeadlineCheck.verify(config(Map.of()), Map.of(
        "inbound.dispatch_grace", Duration.ofSeconds(10), "call_sessions.lease", Duration.ofSeconds(15)))).doesNotThrowAnyException();
  }
}
