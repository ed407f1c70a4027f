package com.smsgateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.TestGateway;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
  /** A sample line of the Prometheus text exposition format: name, optional labels, value, optional timestamp. */
  private static final Pattern SAMPLE = Pattern.compile(
      "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*})? "
          + "(-?[0-9.eE+-]+|NaN|[+-]Inf)( -?[0-9]+)?");
  private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*");

  @Test
  void metricsAreNotServedOnThePublicPort() {
    Gateway gateway = Await.result(TestGateway.forClass(MetricsEndpointTest.class).start());
    try (Http http = new Http(gateway.port())) {
      var response = http.get("/metrics", null);

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("not_found");
      assertThat(gateway.managementPort()).isNotEqualTo(gateway.port());
    } finally {
      Await.result(gateway.stop());
    }
  }

  @Test
  void metricsAreValidPrometheusTextOnTheManagementPortAndCountServedRequests() {
    Gateway gateway = Await.result(TestGateway.forClass(MetricsEndpointTest.class).start());
    try (Http http = new Http(gateway.port()); Http management = new Http(gateway.managementPort())) {
      assertThat(http.get("/health/live", null).statusCode()).isEqualTo(200);

      var response = management.get("/metrics", null);
      List<String> lines = response.bodyAsString().lines().filter(line -> !line.isEmpty()).toList();

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("Content-Type")).startsWith("text/plain");
      assertThat(lines).allSatisfy(line -> assertThat(COMMENT.matcher(line).matches() || SAMPLE.matcher(line).matches())
          .as("valid exposition line: %s", line).isTrue());
      assertThat(lines).anyMatch(line -> line.startsWith("vertx_http_server_requests_total{")
          && line.contains("route=\"/health/live\"") && line.contains("code=\"200\""));
      assertThat(lines).anyMatch(line -> line.startsWith("jvm_memory_used_bytes"));
      assertThat(lines).anyMatch(line -> line.startsWith("vertx_pool_"));
      assertThat(lines).anyMatch(line -> line.startsWith("gateway_info{"));
    } finally {
      Await.result(gateway.stop());
    }
  }
}
