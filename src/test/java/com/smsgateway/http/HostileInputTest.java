package com.smsgateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.RawHttp;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bodies, paths and connections a hostile client controls: bounded, refused in the common error format, never a 5xx. */
class HostileInputTest {
  private static final String ADMIN = TestGateway.ADMIN_KEY;
  private static final String FORM = "application/x-www-form-urlencoded";
  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(HostileInputTest.class)
      .with("GATEWAY_TWILIO_MODE", "sandbox")
      .with("GATEWAY_HTTP_BODY_READ_TIMEOUT", "1s"));

  @Test
  void aMebibyteOfFormSeparatorsToAWebhookIs413WithoutDecodingIt() {
    String separators = "a&".repeat(512 * 1024);
    long allocatedBefore = allocatedBytes();

    HttpResponse<Buffer> response = running.http().post("/twilio/messages", null, FORM, Buffer.buffer(separators));

    long allocated = allocatedBytes() - allocatedBefore;
    assertError(response, 413, "payload_too_large");
    // Decoding every separator costs ~100 MB; reading the bounded prefix and refusing it costs a few.
    assertThat(allocated).as("bytes allocated by the whole JVM for one refused webhook").isLessThan(40L * 1024 * 1024);
  }

  @Test
  void anEndlessChunkedWebhookIsCutOffAtTheWebhookBound() {
    try (RawHttp raw = new RawHttp(running.gateway().port())) {
      raw.write("POST /twilio/messages HTTP/1.1\r\nHost: x\r\nContent-Type: " + FORM + "\r\nTransfer-Encoding: chunked\r\n\r\n");
      String chunk = "a&".repeat(4096);
      RawHttp.Response response = null;
      for (int i = 0; i < 1000 && response == null; i++) {
        if (!raw.write(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n")) {
          response = raw.read();
          break;
        }
        if (i == 100) {
          response = raw.read();
        }
      }
      assertThat(response).isNotNull();
      assertThat(response.status()).isEqualTo(413);
      assertThat(response.headers().get("connection")).isEqualToIgnoringCase("close");
      assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code")).isEqualTo("payload_too_large");
    }
  }

  @Test
  void aFormBodyOutsideTheTwilioWebhooksIs415() {
    assertError(running.http().post("/v1/api-keys", ADMIN, FORM, Buffer.buffer("role=admin")), 415, "unsupported_media_type");
    assertError(running.http().post("/sandbox/inbound", ADMIN, FORM, Buffer.buffer("from=%2B14155550100")), 415, "unsupported_media_type");
    assertError(running.http().post("/v1/messages", ADMIN, "multipart/form-data; boundary=x",
        Buffer.buffer("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--x--\r\n")), 415, "unsupported_media_type");
  }

  @Test
  void badPercentEncodingInAPathIs400() {
    assertError(running.http().get("/v1/calls/%ZZ/sms", ADMIN), 400, "malformed_path");
    assertError(running.http().get("/v1/calls/%00/sms", ADMIN), 400, "malformed_path");
    assertError(running.http().get("/v1/messages?cursor=%G1", ADMIN), 400, "malformed_path");
  }

  @Test
  void badPercentEncodingInAWebhookFormIs400() {
    assertError(running.http().post("/twilio/messages", null, FORM, Buffer.buffer("MessageSid=%ZZ&From=x")), 400, "malformed_form");
  }

  @Test
  void aSandboxInjectionWithoutABodyIs400() {
    assertError(running.http().post("/sandbox/inbound", ADMIN, "application/json", Buffer.buffer()), 400, "malformed_json");
  }

  @Test
  void aJsonStringWithNulIsRefused() {
    HttpResponse<Buffer> response = running.http().post("/v1/api-keys", ADMIN, "application/json",
        Buffer.buffer("{\"role\":\"workspace\",\"workspace_id\":\"ws\\u0000x\"}"));

    assertError(response, 400, "malformed_json");
  }

  @Test
  void oversizeHeadersAre431InTheCommonFormat() {
    try (RawHttp raw = new RawHttp(running.gateway().port())) {
      raw.write("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(64 * 1024) + "\r\n\r\n");
      RawHttp.Response response = raw.read();

      assertThat(response.status()).isEqualTo(431);
      assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code")).isEqualTo("headers_too_large");
    }
  }

  @Test
  void aBodyTooLargeByItsLengthIsAnsweredWithConnectionCloseSoTheClientReconnects() {
    int tooLarge = running.gateway().config().http().maxBodyBytes() + 1;
    try (RawHttp raw = new RawHttp(running.gateway().port())) {
      raw.write("POST /v1/api-keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN
          + "\r\nContent-Type: application/json\r\nContent-Length: " + tooLarge + "\r\n\r\n{\"role\":");
      RawHttp.Response response = raw.read();

      assertThat(response.status()).isEqualTo(413);
      assertThat(response.headers().get("connection")).isEqualToIgnoringCase("close");
    }
  }

  @Test
  void aBodyRefusedUnreadKeepsTheNextRequestOnTheConnectionWorkingOrClosesIt() {
    try (RawHttp raw = new RawHttp(running.gateway().port())) {
      String form = "role=admin";
      raw.write("POST /v1/api-keys HTTP/1.1\r\nHost: x\r\nContent-Type: " + FORM + "\r\nContent-Length: " + form.length() + "\r\n\r\n" + form);
      RawHttp.Response refused = raw.read();
      assertThat(refused.status()).isEqualTo(415);
      if ("close".equalsIgnoreCase(refused.headers().get("connection"))) {
        return;
      }
      raw.write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Response next = raw.read();

      assertThat(next).as("the next request on a connection kept alive").isNotNull();
      assertThat(next.status()).isEqualTo(200);
    }
  }

  @Test
  void aTricklingBodyIsCutOffAtTheReadDeadline() {
    try (RawHttp raw = new RawHttp(running.gateway().port())) {
      raw.write("POST /v1/api-keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN
          + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"role\":");
      RawHttp.Response response = raw.read();

      assertThat(response.status()).isEqualTo(400);
      assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code")).isEqualTo("body_read_timeout");
      assertThat(response.headers().get("connection")).isEqualToIgnoringCase("close");
    }
  }

  static void assertError(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("message")).isNotBlank();
  }

  private static long allocatedBytes() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long[] ids = threads.getAllThreadIds();
    return Arrays.stream(threads.getThreadAllocatedBytes(ids)).filter(bytes -> bytes > 0).sum();
  }
}
