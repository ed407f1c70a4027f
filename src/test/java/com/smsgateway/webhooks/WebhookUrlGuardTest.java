package com.smsgateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.domain.DomainFailure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF guard of customers' webhook URLs, with an injected resolver (no real DNS). */
class WebhookUrlGuardTest {
  private static final Map<String, String> DNS = Map.of(
      "hooks.example.com", "93.184.216.34",
      "metadata.attacker.example", "169.254.169.254",
      "ec2-v6.attacker.example", "fd00:ec2::254",
      "internal.attacker.example", "10.1.2.3",
      "cgnat.attacker.example", "100.64.0.7",
      "mapped.attacker.example", "::ffff:127.0.0.1");
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static WebhookUrlGuard guard(boolean sandbox) {
    return new WebhookUrlGuard(vertx, sandbox, host -> {
      String address = DNS.get(host);
      if (address == null) {
        throw new UnknownHostException(host);
      }
      return List.of(InetAddress.getByName(address));
    });
  }

  private static Throwable refusal(Future<?> checked) throws Exception {
    try {
      checked.await(10, TimeUnit.SECONDS);
    } catch (DomainFailure refused) {
      return refused;
    }
    throw new AssertionError("the URL was accepted");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://127.0.0.1/",
      "https://10.0.0.1/",
      "https://metadata.attacker.example/hook",
      "https://ec2-v6.attacker.example/hook",
      "https://internal.attacker.example/hook",
      "https://cgnat.attacker.example/hook",
      "https://mapped.attacker.example/hook",
      "https://[::1]/hook",
      "https://192.168.1.1/hook",
      "https://169.254.169.254/latest/meta-data",
      "https://0.0.0.0/hook",
      "https://user:pw@hooks.example.com/hook",
      "http://hooks.example.com/hook",
      "ftp://hooks.example.com/hook",
      "https://unknown.example/hook",
      "not a url"})
  void liveModeRefuses(String url) throws Exception {
    Throwable refused = refusal(guard(false).check("inbound_webhook_url", url));

    assertThat(refused).isInstanceOfSatisfying(DomainFailure.class, failure -> {
      assertThat(failure.kind()).isEqualTo(DomainFailure.Kind.INVALID);
      assertThat(failure.code()).isEqualTo(WebhookUrlGuard.NOT_ALLOWED);
      assertThat(failure.field()).isEqualTo("inbound_webhook_url");
    });
  }

  @Test
  void liveModeConnectsToTheAddressItChecked() throws Exception {
    WebhookUrlGuard.Target target = guard(false).check("url", "https://hooks.example.com:8443/in?x=1").await(10, TimeUnit.SECONDS);

    assertThat(target.address().getHostAddress()).isEqualTo("93.184.216.34");
    assertThat(target.host()).isEqualTo("hooks.example.com");
    assertThat(target.port()).isEqualTo(8443);
    assertThat(target.ssl()).isTrue();
    assertThat(target.requestUri()).isEqualTo("/in?x=1");
  }

  @Test
  void sandboxModeAllowsHttpToLoopbackOnly() throws Exception {
    WebhookUrlGuard sandbox = guard(true);

    assertThat(sandbox.check("url", "http://127.0.0.1:8081/hook").await(10, TimeUnit.SECONDS).ssl()).isFalse();
    assertThat(sandbox.check("url", "http://localhost/hook").await(10, TimeUnit.SECONDS).port()).isEqualTo(80);
    assertThat(refusal(sandbox.check("url", "http://hooks.example.com/hook"))).isInstanceOf(DomainFailure.class);
  }
}
