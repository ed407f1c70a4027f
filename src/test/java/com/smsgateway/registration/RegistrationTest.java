package com.smsgateway.registration;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.EmbeddedServices;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A2P registration in sandbox mode: profile → brand → campaign, reviews, fees, decision emails, numbers enabled. */
class RegistrationTest {
  private static final String ADMIN = TestGateway.ADMIN_KEY;
  private static final int SMTP_PORT = EmbeddedServices.freePort();
  private static final GreenMail smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"));

  static {
    smtp.start();
  }

  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(RegistrationTest.class)
      .with("GATEWAY_SMTP_HOST", "127.0.0.1")
      .with("GATEWAY_SMTP_PORT", Integer.toString(SMTP_PORT))
      .with("GATEWAY_SMTP_TLS", "none")
      .with("GATEWAY_SMTP_FROM", "a2p@gateway.test")
      .with("GATEWAY_REGISTRATION_EMAIL_POLL_INTERVAL", "100ms"));
  private static Http http;

  @BeforeAll
  static void client() {
    http = running.http();
  }

  @AfterAll
  static void stopSmtp() {
    smtp.stop();
  }

  private static String workspaceKey(String workspaceId) {
    var created = http.postJson("/v1/api-keys", ADMIN, new JsonObject().put("role", "workspace").put("workspace_id", workspaceId));
    assertThat(created.statusCode()).isEqualTo(201);
    return created.bodyAsJsonObject().getString("key");
  }

  static JsonObject profile(String email) {
    return new JsonObject()
        .put("legal_name", "Acme Dental LLC")
        .put("ein", "12-3456789")
        .put("address", new JsonObject().put("street", "1 Market St").put("city", "San Francisco").put("region", "CA")
            .put("postal_code", "94105").put("country", "US"))
        .put("website", "https://acme.example.com")
        .put("contact_email", email)
        .put("contact_phone", "+14155550142");
  }

  static JsonObject campaign() {
    return new JsonObject()
        .put("use_case", "ACCOUNT_NOTIFICATION")
        .put("description", "Appointment reminders and confirmations for patients of Acme Dental")
        .put("sample_messages", new JsonArray().add("Hi Sam, your appointment is tomorrow at 3pm. Reply STOP to opt out.")
            .add("Your appointment is confirmed. Reply HELP for help."))
        .put("message_flow", "Patients opt in on the booking form at https://acme.example.com/book")
        .put("has_embedded_links", false)
        .put("has_embedded_phone", false);
  }

  private static HttpResponse<Buffer> review(String kind, String id, JsonObject decision) {
    return http.postJson("/v1/registrations/" + kind + "/" + id + "/review", ADMIN, decision);
  }

  private static JsonObject created(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  private static String errorCode(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error").getString("code");
  }

  @Test
  void aWorkspaceRegistersFromProfileToEnabledNumbersWithFeesAndEmails() throws Exception {
    String key = workspaceKey("ws_a2p");
    var bought = http.postJson("/v1/sms-numbers", key, new JsonObject().put("phone_number", "+15125550101"));
    assertThat(bought.bodyAsJsonObject().getString("sms_status")).isEqualTo("a2p_required");

    JsonObject profile = created(http.postJson("/v1/business-profiles", key, profile("owner@acme.example.com")));
    assertThat(profile.getString("status")).isEqualTo("pending");
    assertThat(profile.getBoolean("stale")).isFalse();
    var brandTooEarly = http.postJson("/v1/business-profiles/" + profile.getString("id") + "/brand", key, new JsonObject().put("type", "standard"));
    assertThat(brandTooEarly.statusCode()).isEqualTo(409);
    assertThat(errorCode(brandTooEarly)).isEqualTo("profile_not_approved");
    assertThat(review("business_profile", profile.getString("id"), new JsonObject().put("decision", "approved")).statusCode()).isEqualTo(200);

    JsonObject brand = created(http.postJson("/v1/business-profiles/" + profile.getString("id") + "/brand", key, new JsonObject().put("type", "standard")));
    var secondBrand = http.postJson("/v1/business-profiles/" + profile.getString("id") + "/brand", key, new JsonObject().put("type", "low_volume"));
    var campaignTooEarly = http.postJson("/v1/brands/" + brand.getString("id") + "/campaigns", key, campaign());
    assertThat(secondBrand.statusCode()).isEqualTo(409);
    assertThat(errorCode(secondBrand)).isEqualTo("brand_exists");
    assertThat(campaignTooEarly.statusCode()).isEqualTo(409);
    assertThat(errorCode(campaignTooEarly)).isEqualTo("brand_not_approved");

    var rejected = review("brand", brand.getString("id"), new JsonObject().put("decision", "rejected").put("reason", "Website does not match the legal name"));
    assertThat(rejected.bodyAsJsonObject().getString("status")).isEqualTo("rejected");
    assertThat(http.get("/v1/brands/" + brand.getString("id"), key).bodyAsJsonObject().getString("rejection_reason"))
        .isEqualTo("Website does not match the legal name");
    var resubmitted = http.post("/v1/brands/" + brand.getString("id") + "/resubmit", key, "application/json", Buffer.buffer());
    assertThat(resubmitted.statusCode()).as(resubmitted.bodyAsString()).isEqualTo(200);
    assertThat(resubmitted.bodyAsJsonObject().getString("status")).isEqualTo("pending");
    assertThat(resubmitted.bodyAsJsonObject().getString("rejection_reason")).isNull();
    var approved = review("brand", brand.getString("id"), new JsonObject().put("decision", "approved").put("brand_score", 80));
    assertThat(approved.bodyAsJsonObject().getInteger("brand_score")).isEqualTo(80);
    assertThat(review("brand", brand.getString("id"), new JsonObject().put("decision", "approved")).statusCode())
        .as("the same decision again changes nothing").isEqualTo(200);

    JsonObject campaign = created(http.postJson("/v1/brands/" + brand.getString("id") + "/campaigns", key, campaign()));
    assertThat(http.get("/v1/sms-numbers/+15125550101", key).bodyAsJsonObject().getString("sms_status")).isEqualTo("a2p_pending");
    assertThat(review("campaign", campaign.getString("id"), new JsonObject().put("decision", "approved")).statusCode()).isEqualTo(200);

    JsonObject number = http.get("/v1/sms-numbers/+15125550101", key).bodyAsJsonObject();
    assertThat(number.getString("sms_status")).isEqualTo("enabled");
    assertThat(http.get("/v1/brands/workspace-ws_a2p/usage", key).bodyAsJsonObject().getString("tier"))
        .as("a standard brand's limits follow its trust score").isEqualTo("standard_score_75");
    var sent = http.postJson("/v1/messages", key, new JsonObject().put("from_number", "+15125550101").put("to_number", "+14155550100").put("body", "Hello"));
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(202);

    assertThat(review("campaign", campaign.getString("id"), new JsonObject().put("decision", "suspended").put("reason", "Spam complaints"))
        .bodyAsJsonObject().getString("status")).isEqualTo("suspended");
    assertThat(http.get("/v1/sms-numbers/+15125550101", key).bodyAsJsonObject().getString("sms_status")).isEqualTo("suspended");
    var refused = http.postJson("/v1/messages", key, new JsonObject().put("from_number", "+15125550101").put("to_number", "+14155550100").put("body", "Hello"));
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(errorCode(refused)).isEqualTo("number_suspended");

    JsonObject fees = http.get("/v1/workspaces/ws_a2p/fees", key).bodyAsJsonObject();
    assertThat(fees.getJsonArray("items").stream().map(item -> ((JsonObject) item).getInteger("amount_cents")).toList())
        .containsExactly(0, 4500, 4500, 1500);
    assertThat(fees.getLong("total_cents")).isEqualTo(10_500);

    Await.until("five decision emails (profile, brand rejected, brand approved, campaign approved, suspended)",
        () -> messagesTo("owner@acme.example.com").size() == 5);
    List<String> subjects = messagesTo("owner@acme.example.com").stream().map(RegistrationTest::subject).toList();
    assertThat(subjects).anyMatch(s -> s.endsWith("rejected")).anyMatch(s -> s.endsWith("suspended"));
    assertThat(messagesTo("owner@acme.example.com").stream().map(RegistrationTest::body))
        .anyMatch(body -> body.contains("Website does not match the legal name"));
    assertThat(running.gateway().registry().get("gateway.registrations.emails").tag("outcome", "sent").counter().count()).isGreaterThanOrEqualTo(5);
    assertThat(running.gateway().registry().get("gateway.registrations.transitions").tag("kind", "campaign").tag("state", "suspended")
        .counter().count()).isEqualTo(1);
  }

  @Test
  void aRejectedProfileKeepsItsReasonAndIsResubmittedWithCorrections() {
    String key = workspaceKey("ws_rejected");
    JsonObject profile = created(http.postJson("/v1/business-profiles", key, profile("ops@rejected.example.com")));
    review("business_profile", profile.getString("id"), new JsonObject().put("decision", "rejected").put("reason", "EIN does not match"));

    JsonObject shown = http.get("/v1/business-profiles/" + profile.getString("id"), key).bodyAsJsonObject();
    var resubmitted = http.postJson("/v1/business-profiles/" + profile.getString("id") + "/resubmit", key,
        profile("ops@rejected.example.com").put("ein", "98-7654321"));
    var again = http.postJson("/v1/business-profiles/" + profile.getString("id") + "/resubmit", key, profile("ops@rejected.example.com"));

    assertThat(shown.getString("status")).isEqualTo("rejected");
    assertThat(shown.getString("rejection_reason")).isEqualTo("EIN does not match");
    assertThat(resubmitted.statusCode()).as(resubmitted.bodyAsString()).isEqualTo(200);
    assertThat(resubmitted.bodyAsJsonObject().getString("ein")).isEqualTo("98-7654321");
    assertThat(resubmitted.bodyAsJsonObject().getString("status")).isEqualTo("pending");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(errorCode(again)).isEqualTo("not_rejected");
  }

  @Test
  void profileFieldsAreValidated() {
    String key = workspaceKey("ws_validation");
    assertThat(fieldOf(http.postJson("/v1/business-profiles", key, profile("a@b.co").put("ein", "123456789")))).isEqualTo("ein");
    assertThat(fieldOf(http.postJson("/v1/business-profiles", key, profile("not-an-email")))).isEqualTo("contact_email");
    assertThat(fieldOf(http.postJson("/v1/business-profiles", key, profile("a@b.co").put("website", "http://acme.example.com")))).isEqualTo("website");
    assertThat(fieldOf(http.postJson("/v1/business-profiles", key, profile("a@b.co")
        .put("address", profile("a@b.co").getJsonObject("address").copy().put("country", "CA"))))).isEqualTo("address.country");
    assertThat(fieldOf(http.postJson("/v1/business-profiles", key, profile("a@b.co").put("contact_phone", "555")))).isEqualTo("contact_phone");
    assertThat(fieldOf(http.postJson("/v1/business-profiles", key, profile("a@b.co").putNull("legal_name")))).isEqualTo("legal_name");
  }

  @Test
  void campaignsNeedTwoToFiveSampleMessagesOfAtMost1024Characters() {
    String key = workspaceKey("ws_samples");
    JsonObject profile = created(http.postJson("/v1/business-profiles", key, profile("s@samples.example.com")));
    review("business_profile", profile.getString("id"), new JsonObject().put("decision", "approved"));
    JsonObject brand = created(http.postJson("/v1/business-profiles/" + profile.getString("id") + "/brand", key, new JsonObject().put("type", "low_volume")));
    review("brand", brand.getString("id"), new JsonObject().put("decision", "approved"));
    String campaigns = "/v1/brands/" + brand.getString("id") + "/campaigns";

    assertThat(fieldOf(http.postJson(campaigns, key, campaign().put("sample_messages", new JsonArray().add("only one"))))).isEqualTo("sample_messages");
    assertThat(fieldOf(http.postJson(campaigns, key, campaign().put("sample_messages", new JsonArray(List.of("1", "2", "3", "4", "5", "6"))))))
        .isEqualTo("sample_messages");
    char[] tooLong = new char[1025];
    Arrays.fill(tooLong, 'x');
    assertThat(fieldOf(http.postJson(campaigns, key, campaign().put("sample_messages", new JsonArray().add("ok").add(new String(tooLong))))))
        .isEqualTo("sample_messages");
    assertThat(fieldOf(http.postJson(campaigns, key, campaign().remove("has_embedded_links") == null ? campaign() : campaign().putNull("has_embedded_links"))))
        .isEqualTo("has_embedded_links");
    created(http.postJson(campaigns, key, campaign()));
    created(http.postJson(campaigns, key, campaign().put("use_case", "CUSTOMER_CARE")));
    assertThat(http.get(campaigns, key).bodyAsJsonObject().getJsonArray("campaigns")).hasSize(2);
  }

  @Test
  void registrationsAreScopedToTheirWorkspaceAndReviewedOnlyByAdmins() {
    String key = workspaceKey("ws_scoped");
    String other = workspaceKey("ws_scoped_other");
    JsonObject profile = created(http.postJson("/v1/business-profiles", key, profile("x@scoped.example.com")));

    assertThat(http.get("/v1/business-profiles/" + profile.getString("id"), other).statusCode()).isEqualTo(404);
    assertThat(http.get("/v1/workspaces/ws_scoped/fees", other).statusCode()).isEqualTo(404);
    assertThat(http.get("/v1/business-profiles", other).bodyAsJsonObject().getJsonArray("business_profiles")).isEmpty();
    assertThat(http.postJson("/v1/registrations/business_profile/" + profile.getString("id") + "/review", key,
        new JsonObject().put("decision", "approved")).statusCode()).isEqualTo(403);
    assertThat(review("carrier_pigeon", profile.getString("id"), new JsonObject().put("decision", "approved")).statusCode()).isEqualTo(404);
    assertThat(review("business_profile", profile.getString("id"), new JsonObject().put("decision", "suspended")).statusCode()).isEqualTo(422);
  }

  private static String fieldOf(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(422);
    return response.bodyAsJsonObject().getJsonObject("error").getString("field");
  }

  private static List<MimeMessage> messagesTo(String address) {
    return Arrays.stream(smtp.getReceivedMessages()).filter(message -> {
      try {
        return Arrays.stream(message.getAllRecipients()).anyMatch(recipient -> recipient.toString().contains(address));
      } catch (jakarta.mail.MessagingException e) {
        return false;
      }
    }).toList();
  }

  private static String subject(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new AssertionError(e);
    }
  }

  private static String body(MimeMessage message) {
    try {
      return message.getContent().toString();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
