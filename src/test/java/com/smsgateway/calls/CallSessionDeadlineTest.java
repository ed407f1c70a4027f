package com.smsgateway.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.smsgateway.config.Config;
import com.smsgateway.config.ConfigException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A call-session delivery's total deadline must end before its lease, or a live delivery could be taken over. */
class CallSessionDeadlineTest {
  private static CallSessionConfig config(Map<String, String> env) {
    return CallSessionConfig.from(Config.fromYaml("{}", env).at("call_sessions"));
  }

  private static CallSessionDeliveryWorker worker(CallSessionConfig config) {
    return new CallSessionDeliveryWorker(config, "http://127.0.0.1:1/sms-events", null, new SimpleMeterRegistry(), Clock.systemUTC());
  }

  @Test
  void aDeadlineAsLongAsTheLeaseIsRefusedNamingTheKey() {
    CallSessionConfig config = config(Map.of("GATEWAY_CALL_SESSIONS_TIMEOUT", "15s", "GATEWAY_CALL_SESSIONS_LEASE", "15s"));

    assertThatThrownBy(() -> worker(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("call_sessions.timeout")
        .hasMessageContaining("call_sessions.lease");
  }

  @Test
  void theDefaultsEndTheDeadlineWellBeforeTheLease() {
    CallSessionConfig config = config(Map.of());

    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.lease()).isEqualTo(Duration.ofSeconds(15));
    assertThatCode(() -> worker(config)).doesNotThrowAnyException();
  }
}
