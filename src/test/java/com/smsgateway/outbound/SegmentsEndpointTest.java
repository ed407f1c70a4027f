package com.smsgateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SegmentsEndpointTest {
  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(SegmentsEndpointTest.class));

  @Test
  void aGsm7BodyOf161CharactersIsTwoSegments() {
    JsonObject answer = segments("x".repeat(161));

    assertThat(answer.getString("encoding")).isEqualTo("GSM-7");
    assertThat(answer.getInteger("segments")).isEqualTo(2);
    assertThat(answer.getInteger("characters")).isEqualTo(161);
  }

  @Test
  void curlyQuotesMakeUcs2AndSmartEncodingBringsItBackToGsm7() {
    JsonObject answer = segments("It\u2019s \u201cready\u201d");

    assertThat(answer.getString("encoding")).isEqualTo("UCS-2");
    assertThat(answer.getString("smart_encoded_body")).isEqualTo("It's \"ready\"");
    assertThat(answer.getString("smart_encoded_encoding")).isEqualTo("GSM-7");
  }

  @Test
  void aBodyOver1600CharactersIs422() {
    var response = running.http().postJson("/v1/segments", TestGateway.ADMIN_KEY, new JsonObject().put("body", "x".repeat(1601)));

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("body_too_long");
  }

  private static JsonObject segments(String body) {
    var response = running.http().postJson("/v1/segments", TestGateway.ADMIN_KEY, new JsonObject().put("body", body));
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }
}
