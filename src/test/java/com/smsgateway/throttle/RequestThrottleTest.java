package com.smsgateway.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The request throttle on real Redis: per API key, and per client address for failed authentications only. */
class RequestThrottleTest {
  private static final int BURST = 5;
  private static final int FAILED_AUTH_BURST = 3;
  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(RequestThrottleTest.class)
      .with("GATEWAY_HTTP_RATE_LIMIT_PER_KEY_PER_SECOND", "1")
      .with("GATEWAY_HTTP_RATE_LIMIT_BURST", Integer.toString(BURST))
      .with("GATEWAY_HTTP_RATE_LIMIT_FAILED_AUTH_PER_MINUTE", "1")
      .with("GATEWAY_HTTP_RATE_LIMIT_FAILED_AUTH_BURST", Integer.toString(FAILED_AUTH_BURST)));

  @Test
  void aKeyBeyondItsBurstIs429RateLimitedWithRetryAtWhileAnotherKeyIsServed() {
    String fast = newKey("ws_throttle_fast");
    String other = newKey("ws_throttle_other");
    for (int i = 0; i < BURST; i++) {
      assertThat(running.http().get("/v1/sms-templates", fast).statusCode()).isEqualTo(200);
    }

    HttpResponse<Buffer> refused = running.http().get("/v1/sms-templates", fast);

    assertThat(refused.statusCode()).isEqualTo(429);
    JsonObject error = refused.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("rate_limited");
    assertThat(Instant.parse(error.getString("retry_at"))).isAfter(Instant.now().minusSeconds(1)).isBefore(Instant.now().plusSeconds(5));
    assertThat(running.http().get("/v1/sms-templates", other).statusCode()).isEqualTo(200);
    assertThat(running.scrapeMetrics()).containsPattern("gateway_http_throttled_total\\{reason=\"api_key_rate\"} [1-9]");
  }

  @Test
  void repeatedFailedAuthenticationsAre429ButAValidKeyFromTheSameAddressIsServed() {
    String valid = newKey("ws_throttle_valid");
    HttpResponse<Buffer> last = null;
    for (int i = 0; i <= FAILED_AUTH_BURST; i++) {
      last = running.http().get("/v1/sms-templates", "gw_wrong_" + i);
    }

    assertThat(last.statusCode()).isEqualTo(429);
    assertThat(last.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("rate_limited");
    assertThat(last.bodyAsJsonObject().getJsonObject("error").getString("retry_at")).isNotBlank();
    assertThat(running.http().get("/v1/sms-templates", valid).statusCode()).isEqualTo(200);
    assertThat(running.http().get("/v1/sms-templates", "gw_still_wrong").statusCode()).isEqualTo(429);
  }

  /** Keys are created by the bootstrap admin key, whose own bucket is large enough for these tests. */
  private static String newKey(String workspaceId) {
    var response = running.http().postJson("/v1/api-keys", TestGateway.ADMIN_KEY,
        new JsonObject().put("role", "workspace").put("workspace_id", workspaceId));
    assertThat(response.statusCode()).isEqualTo(201);
    return response.bodyAsJsonObject().getString("key");
  }
}
