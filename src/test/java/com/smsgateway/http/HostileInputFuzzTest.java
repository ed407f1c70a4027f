package com.smsgateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Await;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import com.smsgateway.twilio.TwilioConfig;
import com.smsgateway.twilio.TwilioSignature;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A seeded run of mixed hostile requests against every route the gateway serves: whatever the input, the answer is
 * below 500 and an error is in the common JSON format.
 */
class HostileInputFuzzTest {
  private static final int REQUESTS = 600;
  private static final String ADMIN = TestGateway.ADMIN_KEY;
  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(HostileInputFuzzTest.class)
      .with("GATEWAY_TWILIO_MODE", "sandbox")
      .with("GATEWAY_HTTP_RATE_LIMIT_PER_KEY_PER_SECOND", "100000")
      .with("GATEWAY_HTTP_RATE_LIMIT_BURST", "100000"));

  private static final List<String> PATH_VALUES = List.of("%ZZ", "%00", "%", "abc", "%2F..%2F..", "x".repeat(3000),
      "%E2%82", "+14155550100", "%CE%A9%CE%A9", "%25", "1;DROP%20TABLE%20x", "%27", "%0A%0D", "..");
  private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
      "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=zz", "application/xml", "",
      "application/json; charset=latin1");
  private static final List<String> KEYS = List.of(ADMIN, "", "gw_unknown", "x".repeat(5000), "\u00ff\u00fe");
  private static final List<String> JSON_FIELDS = List.of("role", "workspace_id", "call_id", "agent_id", "agent_number",
      "customer_number", "to_number", "from_number", "body", "content", "template_id", "variables", "phone_number",
      "area_code", "media_urls", "operation", "status", "count", "from", "to", "message_ids", "since", "until", "type",
      "chat_agent_id", "inbound_webhook_url", "end_after_silence", "auto_close_message", "twilio_code", "account_sid");

  @Test
  void noHostileRequestGetsA5xxAndEveryErrorIsCommonJson() {
    Random random = new Random(9);
    List<String> routes = running.gateway().routeSignatures();
    assertThat(routes).isNotEmpty();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      String route = routes.get(random.nextInt(routes.size()));
      HttpMethod method = HttpMethod.valueOf(route.substring(0, route.indexOf(' ')));
      String path = pathOf(route.substring(route.indexOf(' ') + 1), random);
      String contentType = pick(CONTENT_TYPES, random);
      Buffer body = body(random, contentType);
      var request = running.http().request(method, path);
      if (!contentType.isEmpty()) {
        request.putHeader("Content-Type", contentType);
      }
      String key = pick(KEYS, random);
      if (!key.isEmpty()) {
        request.putHeader("Authorization", random.nextInt(5) == 0 ? key : "Bearer " + key);
      }
      if (random.nextInt(4) == 0) {
        request.putHeader(TwilioSignature.HEADER, random.nextBoolean() ? "bm90LWEtc2lnbmF0dXJl" : "%%%");
      }
      if (random.nextInt(6) == 0) {
        request.putHeader("Idempotency-Key", random.nextBoolean() ? "k" + random.nextInt(3) : "x".repeat(300));
      }
      HttpResponse<Buffer> response = Await.result(method == HttpMethod.GET || method == HttpMethod.DELETE && random.nextBoolean()
          ? request.send() : request.sendBuffer(body));
      String problem = problem(response, path.startsWith(TwilioConfig.SANDBOX_PATH + "/"));
      if (problem != null) {
        failures.add(method + " " + abbreviate(path) + " [" + contentType + "] " + abbreviate(body.toString()) + " -> " + problem);
      }
    }
    assertThat(failures).isEmpty();
  }

  /** Past the gateway's own checks, the sandbox's stand-in of Twilio's API answers errors in Twilio's format, as the SDK expects. */
  private static String problem(HttpResponse<Buffer> response, boolean twilioFormat) {
    if (response.statusCode() >= 500) {
      return response.statusCode() + " " + response.bodyAsString();
    }
    if (response.statusCode() < 400) {
      return null;
    }
    try {
      JsonObject body = response.bodyAsJsonObject();
      JsonObject error = twilioFormat && !body.containsKey("error") ? body : body.getJsonObject("error");
      if (error == null || error.getValue("code") == null || error.getString("message") == null) {
        return response.statusCode() + " without the common error body: " + response.bodyAsString();
      }
      return null;
    } catch (RuntimeException e) {
      return response.statusCode() + " not JSON: " + response.bodyAsString();
    }
  }

  private static String pathOf(String template, Random random) {
    StringBuilder path = new StringBuilder();
    for (String segment : template.split("/", -1)) {
      if (!path.isEmpty() || !segment.isEmpty()) {
        path.append('/');
      }
      path.append(segment.startsWith(":") ? pick(PATH_VALUES, random) : segment.replaceAll(":[a-zA-Z_]+", pick(PATH_VALUES, random)));
    }
    String result = path.toString().replace("//", "/");
    return random.nextInt(5) == 0 ? result + "?limit=" + pick(PATH_VALUES, random) + "&cursor=" + pick(PATH_VALUES, random) : result;
  }

  private static Buffer body(Random random, String contentType) {
    if (contentType.startsWith("application/x-www-form-urlencoded")) {
      return Buffer.buffer(switch (random.nextInt(4)) {
        case 0 -> "MessageSid=%ZZ&From=%2B1";
        case 1 -> "a&".repeat(5000);
        case 2 -> "AccountSid=AC00000000000000000000000000000000&MessageSid=SM1&From=%2B14155550100&To=%00&Body=" + "x".repeat(2000);
        default -> "x=" + "%".repeat(random.nextInt(10));
      });
    }
    if (contentType.startsWith("multipart/")) {
      return Buffer.buffer("--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhello\r\n--zz--\r\n");
    }
    return Buffer.buffer(switch (random.nextInt(10)) {
      case 0 -> "{\"" + pick(JSON_FIELDS, random) + "\": ";
      case 1 -> "[".repeat(5000) + "]".repeat(5000);
      case 2 -> "{\"a\":".repeat(2000) + "1" + "}".repeat(2000);
      case 3 -> "\u0000\u0001\u0002";
      case 4 -> new JsonObject().put(pick(JSON_FIELDS, random), "x".repeat(100_000)).encode();
      case 5 -> "null";
      default -> randomObject(random).encode();
    });
  }

  private static JsonObject randomObject(Random random) {
    JsonObject object = new JsonObject();
    int fields = 1 + random.nextInt(8);
    for (int i = 0; i < fields; i++) {
      object.put(pick(JSON_FIELDS, random), switch (random.nextInt(11)) {
        case 0 -> random.nextInt();
        case 1 -> -1.5e300;
        case 2 -> true;
        case 3 -> new JsonObject().put("nested", new io.vertx.core.json.JsonArray().add(1).add("two"));
        case 4 -> new io.vertx.core.json.JsonArray().add("+14155550100").add(7);
        case 5 -> "nul\u0000inside";
        case 6 -> "+1415555" + String.format("%04d", random.nextInt(10_000));
        case 7 -> "\uD83D\uDE00".repeat(100);
        case 8 -> null;
        case 9 -> "2026-13-45T99:99:99Z";
        default -> pick(PATH_VALUES, random);
      });
    }
    return object;
  }

  private static <T> T pick(List<T> values, Random random) {
    return values.get(random.nextInt(values.size()));
  }

  private static String abbreviate(String text) {
    return text.length() > 120 ? text.substring(0, 120) + "…(" + text.length() + ")" : text;
  }

}
