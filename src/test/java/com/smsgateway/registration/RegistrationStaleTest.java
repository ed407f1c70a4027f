package com.smsgateway.registration;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.config.Config;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.ManualClock;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A step pending longer than registration.stale_after is flagged on the resource and counted, by the injected clock. */
class RegistrationStaleTest {
  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(RegistrationStaleTest.class));

  @Test
  void aProfilePendingForOverThirtyDaysIsStaleAndCounted() {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RegistrationConfig config = RegistrationConfig.from(Config.fromYaml("", Map.of()));
    RegistrationStore store = new RegistrationStore(running.gateway().pg(), config.fees(), new RegistrationEmails(running.gateway().pg()));
    RegistrationService service = new RegistrationService(store, new RegistrationMetrics(registry), config, clock, () -> { });

    Registration profile = Await.result(service.createProfile("ws_stale", new RegistrationStore.ProfileFields("Old Co", "12-3456789",
        "1 Main St", "Austin", "TX", "73301", "US", "https://old.example.com", "old@example.com", "+15125550100")));
    clock.advance(Duration.ofDays(30));
    boolean staleAtThirtyDays = profile.isStale(clock, config.staleAfter());
    Await.result(service.countStale());
    double countedAtThirtyDays = registry.get("gateway.registrations.stale").tag("kind", "business_profile").gauge().value();

    clock.advance(Duration.ofHours(1));
    Registration later = Await.result(store.find(RegistrationKind.BUSINESS_PROFILE, profile.id())).orElseThrow();
    Await.result(service.countStale());

    assertThat(staleAtThirtyDays).isFalse();
    assertThat(countedAtThirtyDays).isZero();
    assertThat(later.toJson(clock, config.staleAfter()).getBoolean("stale")).isTrue();
    assertThat(registry.get("gateway.registrations.stale").tag("kind", "business_profile").gauge().value()).isEqualTo(1);
  }
}
