package com.smsgateway.registration;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Live mode against a stand-in for Twilio's registration APIs: each step is submitted through the SDK, its status polled
 * on the leased timer, and Twilio's decisions applied (numbers enabled, brand score kept).
 */
class LiveRegistrationTest {
  private static final String ACCOUNT = "AC" + "1".repeat(32);
  private static final Vertx vertx = Vertx.vertx();
  private static final List<String> received = new CopyOnWriteArrayList<>();
  private static final Map<String, String> ANSWERS = Map.ofEntries(
      Map.entry("POST /trusthub/v1/CustomerProfiles", "{\"sid\": \"BU" + "a".repeat(32) + "\", \"status\": \"draft\"}"),
      Map.entry("POST /trusthub/v1/CustomerProfiles/BU" + "a".repeat(32), "{\"sid\": \"BU" + "a".repeat(32) + "\", \"status\": \"pending-review\"}"),
      Map.entry("GET /trusthub/v1/CustomerProfiles/BU" + "a".repeat(32), "{\"sid\": \"BU" + "a".repeat(32) + "\", \"status\": \"twilio-approved\"}"),
      Map.entry("POST /trusthub/v1/TrustProducts", "{\"sid\": \"BU" + "b".repeat(32) + "\", \"status\": \"draft\"}"),
      Map.entry("POST /trusthub/v1/TrustProducts/BU" + "b".repeat(32), "{\"sid\": \"BU" + "b".repeat(32) + "\", \"status\": \"pending-review\"}"),
      Map.entry("POST /messaging/v1/a2p/BrandRegistrations", "{\"sid\": \"BN" + "c".repeat(32) + "\", \"status\": \"PENDING\"}"),
      Map.entry("GET /messaging/v1/a2p/BrandRegistrations/BN" + "c".repeat(32), "{\"sid\": \"BN" + "c".repeat(32) + "\", \"status\": \"APPROVED\", \"brand_score\": 82}"),
      Map.entry("POST /messaging/v1/Services", "{\"sid\": \"MG" + "d".repeat(32) + "\"}"),
      Map.entry("POST /messaging/v1/Services/MG" + "d".repeat(32) + "/PhoneNumbers", "{\"sid\": \"PN" + "e".repeat(32) + "\"}"),
      Map.entry("POST /messaging/v1/Services/MG" + "d".repeat(32) + "/Compliance/Usa2p", "{\"sid\": \"QE" + "f".repeat(32) + "\", \"campaign_status\": \"PENDING\"}"),
      Map.entry("GET /messaging/v1/Services/MG" + "d".repeat(32) + "/Compliance/Usa2p/QE" + "f".repeat(32), "{\"sid\": \"QE" + "f".repeat(32) + "\", \"campaign_status\": \"VERIFIED\"}"),
      Map.entry("POST /api/2010-04-01/Accounts/" + ACCOUNT + "/IncomingPhoneNumbers.json", "{\"sid\": \"PN" + "e".repeat(32) + "\", \"phone_number\": \"+17375550101\"}"));
  private static final HttpServer twilio = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
    String key = request.method().name() + " " + request.path();
    received.add(key + " " + body);
    String answer = ANSWERS.get(key);
    request.response().setStatusCode(answer == null ? 404 : 201).putHeader("Content-Type", "application/json")
        .end(answer == null ? "{\"code\": 20404, \"message\": \"not found\", \"status\": 404}" : answer);
  })).listen(0, "127.0.0.1").await();

  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(LiveRegistrationTest.class)
      .with("GATEWAY_TWILIO_MODE", "live")
      .with("GATEWAY_TWILIO_ACCOUNT_SID", ACCOUNT)
      .with("GATEWAY_TWILIO_AUTH_TOKEN", "live-test-token")
      .with("GATEWAY_TWILIO_API_BASE_URL", "http://127.0.0.1:" + twilio.actualPort())
      .with("GATEWAY_REGISTRATION_POLL_INTERVAL", "200ms"));
  private static Http http;
  private static String key;

  @BeforeAll
  static void client() {
    http = running.http();
    var created = http.postJson("/v1/api-keys", TestGateway.ADMIN_KEY, new JsonObject().put("role", "workspace").put("workspace_id", "ws_live"));
    key = created.bodyAsJsonObject().getString("key");
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static String awaitStatus(String path, String status) {
    Await.until(path + " " + status, () -> status.equals(http.get(path, key).bodyAsJsonObject().getString("status")));
    return status;
  }

  @Test
  void eachStepGoesToTwilioAndTwilioDecidesIt() {
    assertThat(http.postJson("/v1/sms-numbers", key, new JsonObject().put("phone_number", "+17375550101")).statusCode()).isEqualTo(201);

    String profile = http.postJson("/v1/business-profiles", key, RegistrationTest.profile("live@example.com")).bodyAsJsonObject().getString("id");
    awaitStatus("/v1/business-profiles/" + profile, "approved");
    String brand = http.postJson("/v1/business-profiles/" + profile + "/brand", key, new JsonObject().put("type", "low_volume"))
        .bodyAsJsonObject().getString("id");
    awaitStatus("/v1/brands/" + brand, "approved");
    String campaign = http.postJson("/v1/brands/" + brand + "/campaigns", key, RegistrationTest.campaign()).bodyAsJsonObject().getString("id");
    awaitStatus("/v1/campaigns/" + campaign, "approved");

    assertThat(http.get("/v1/brands/" + brand, key).bodyAsJsonObject().getInteger("brand_score")).isEqualTo(82);
    assertThat(http.get("/v1/sms-numbers/+17375550101", key).bodyAsJsonObject().getString("sms_status")).isEqualTo("enabled");
    assertThat(received).anyMatch(request -> request.startsWith("POST /messaging/v1/a2p/BrandRegistrations ") && request.contains("SkipAutomaticSecVet=true"));
    assertThat(received).anyMatch(request -> request.startsWith("POST /messaging/v1/Services ") && request.contains("InboundRequestUrl="));
    assertThat(received).anyMatch(request -> request.startsWith("POST /messaging/v1/Services/MG" + "d".repeat(32) + "/PhoneNumbers ")
        && request.contains("PhoneNumberSid=PN" + "e".repeat(32)));
    long addedBefore = received.stream().filter(request -> request.contains("/PhoneNumbers ")).count();
    assertThat(http.postJson("/v1/sms-numbers", key, new JsonObject().put("phone_number", "+17375550102")).statusCode()).isEqualTo(201);
    Await.until("a number bought later joins the Messaging Service",
        () -> received.stream().filter(request -> request.contains("/PhoneNumbers ")).count() == addedBefore + 1);
    var review = http.postJson("/v1/registrations/campaign/" + campaign + "/review", TestGateway.ADMIN_KEY, new JsonObject().put("decision", "rejected"));
    assertThat(review.statusCode()).as("carriers review in live mode").isEqualTo(409);
  }
}
