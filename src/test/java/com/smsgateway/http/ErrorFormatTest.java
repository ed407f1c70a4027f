package com.smsgateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ErrorFormatTest {
  private static final String ADMIN = TestGateway.ADMIN_KEY;
  private static final int MAX_BODY = 4096;
  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(ErrorFormatTest.class)
      .with("GATEWAY_HTTP_MAX_BODY_BYTES", Integer.toString(MAX_BODY)));

  @Test
  void unknownRouteIs404Json() {
    assertError(running.http().get("/no/such/route", null), 404, "not_found");
  }

  @Test
  void oversizedBodyIs413() {
    String big = "{\"role\":\"" + "x".repeat(MAX_BODY) + "\"}";

    assertError(running.http().post("/v1/api-keys", ADMIN, "application/json", Buffer.buffer(big)), 413, "payload_too_large");
  }

  @Test
  void wrongContentTypeIs415() {
    assertError(running.http().post("/v1/api-keys", ADMIN, "text/plain", Buffer.buffer("role=admin")), 415, "unsupported_media_type");
  }

  @Test
  void malformedJsonIs400() {
    assertError(running.http().post("/v1/api-keys", ADMIN, "application/json", Buffer.buffer("{\"role\": ")), 400, "malformed_json");
  }

  @Test
  void jsonThatIsNotAnObjectIs400() {
    assertError(running.http().post("/v1/api-keys", ADMIN, "application/json", Buffer.buffer("[1,2]")), 400, "malformed_json");
  }

  @Test
  void errorsAreCountedByStatusAndCode() {
    running.http().get("/counted/missing/route", null);

    assertThat(running.gateway().registry().scrape()).containsPattern("gateway_http_errors_total\\{code=\"not_found\",status=\"404\"} [1-9]");
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("message")).isNotBlank();
  }
}
