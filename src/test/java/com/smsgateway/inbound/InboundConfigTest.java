package com.smsgateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.smsgateway.config.Config;
import com.smsgateway.config.ConfigException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Inbound dispatch: retries spread over hours by default; a swept dispatch must end before its lease. */
class InboundConfigTest {
  private static InboundConfig config(Map<String, String> env) {
    return InboundConfig.from(Config.fromYaml("{}", env));
  }

  @Test
  void theDefaultRetriesSpanHoursNotAMinute() {
    InboundConfig config = config(Map.of());

    Duration shortest = Duration.ZERO;
    Duration longest = config.dispatchRetry().longestTotal(config.maxDispatchAttempts());
    for (int failed = 1; failed < config.maxDispatchAttempts(); failed++) {
      shortest = shortest.plus(config.dispatchRetry().ceiling(failed).dividedBy(2));
    }
    assertThat(shortest).isGreaterThan(Duration.ofHours(2));
    assertThat(longest).isLessThan(Duration.ofHours(6));
  }

  @Test
  void aDispatchTimeoutAsLongAsTheGraceIsRefusedNamingTheKey() {
    InboundConfig config = config(Map.of("GATEWAY_INBOUND_DISPATCH_GRACE", "10s", "GATEWAY_INBOUND_DISPATCH_TIMEOUT", "10s"));

    assertThatThrownBy(() -> new InboundDispatchWorker(null, List.of(), config, new InboundMeters(new SimpleMeterRegistry()), Clock.systemUTC()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("inbound.dispatch_timeout")
        .hasMessageContaining("inbound.dispatch_grace");
  }

  @Test
  void aRetryMaxShorterThanItsInitialIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> config(Map.of("GATEWAY_INBOUND_DISPATCH_RETRY_INITIAL", "1m", "GATEWAY_INBOUND_DISPATCH_RETRY_MAX", "10s")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("inbound.dispatch_retry.max");
  }

  @Test
  void aRouteDecisionTimeoutUnderAMillisecondIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> config(Map.of("GATEWAY_INBOUND_ROUTE_DECISION_TIMEOUT", "0ms")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("inbound.route_decision_timeout");
  }
}
