package com.smsgateway.numbers;

import static com.smsgateway.numbers.NumbersApi.ADMIN;
import static com.smsgateway.numbers.NumbersApi.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import com.smsgateway.twilio.TwilioAccount;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** Bring-your-own Twilio numbers: verified with the customer's credentials, token sealed, webhooks and sends per account. */
class ByoNumbersTest {
  private static final String CUSTOMER = "+14155550177";

  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(ByoNumbersTest.class));
  private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private static Level previousLevel;
  private static Http http;
  private static NumbersApi api;
  private static String workspaceKey;

  @BeforeAll
  static void captureLogs() {
    Logger gatewayLogs = (Logger) LoggerFactory.getLogger("com.smsgateway");
    previousLevel = gatewayLogs.getLevel();
    gatewayLogs.setLevel(Level.DEBUG);
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    http = running.http();
    api = new NumbersApi(http);
    workspaceKey = api.workspaceKey("ws_byo");
  }

  @AfterAll
  static void stopCapturing() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    ((Logger) LoggerFactory.getLogger("com.smsgateway")).setLevel(previousLevel);
  }

  @Test
  void aByoNumberIsVerifiedEnabledAtOnceAndItsTokenNeverShown() {
    String token = "byo-token-" + System.nanoTime();
    var account = api.sandboxAccount(token, "+15035550101", "true");

    var registered = api.byo(workspaceKey, byoBody("+15035550101", account.accountSid(), token).put("agent_id", "agent_7"));
    var again = api.byo(workspaceKey, byoBody("+15035550101", account.accountSid(), token));
    var fetched = http.get("/v1/sms-numbers/+15035550101", workspaceKey);

    assertThat(registered.statusCode()).as(registered.bodyAsString()).isEqualTo(201);
    JsonObject number = registered.bodyAsJsonObject();
    assertThat(number.getString("type")).isEqualTo("byo_twilio");
    assertThat(number.getString("sms_status")).isEqualTo("enabled");
    assertThat(number.getString("account_sid")).isEqualTo(account.accountSid());
    assertThat(number.getString("brand_tier")).isEqualTo("low_volume");
    assertThat(again.statusCode()).isEqualTo(200);
    for (var response : List.of(registered, again, fetched, http.get("/v1/sms-numbers", workspaceKey))) {
      assertThat(response.bodyAsString()).doesNotContain(token);
    }
    Row stored = Await.result(running.gateway().pg().preparedQuery(
        "SELECT auth_token_ciphertext, key_id FROM byo_twilio_accounts WHERE account_sid = $1").execute(Tuple.of(account.accountSid()))).iterator().next();
    assertThat(stored.getString("auth_token_ciphertext")).doesNotContain(token);
    assertThat(stored.getString("key_id")).isNotBlank();
    assertThat(logLines()).isNotEmpty().noneMatch(line -> line.contains(token));
  }

  @Test
  void wrongCredentialsAreRefused() {
    String token = "right-token-" + System.nanoTime();
    var account = api.sandboxAccount(token, "+15035550102", "true");

    var response = api.byo(workspaceKey, byoBody("+15035550102", account.accountSid(), "wrong-token"));

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(errorCode(response)).isEqualTo("twilio_credentials_invalid");
    assertThat(http.get("/v1/sms-numbers/+15035550102", workspaceKey).statusCode()).isEqualTo(404);
    assertThat(failures("twilio_credentials_invalid")).isPositive();
  }

  @Test
  void aNumberOutsideTheAccountIsRefused() {
    String token = "token-" + System.nanoTime();
    var account = api.sandboxAccount(token, "+15035550103", "true");

    var response = api.byo(workspaceKey, byoBody("+15035550199", account.accountSid(), token));

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(errorCode(response)).isEqualTo("number_not_in_account");
  }

  @Test
  void aNumberThatCannotTextIsRefused() {
    String token = "token-" + System.nanoTime();
    var account = api.sandboxAccount(token, "+15035550104", "false");

    var response = api.byo(workspaceKey, byoBody("+15035550104", account.accountSid(), token));

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(errorCode(response)).isEqualTo("number_not_sms_capable");
  }

  @Test
  void otherProvidersAndCountriesAreRefused() {
    var telnyx = api.byo(workspaceKey, byoBody("+15035550105", "AC" + "0".repeat(32), "x").put("provider", "telnyx"));
    var uk = api.byo(workspaceKey, byoBody("+447700900123", "AC" + "0".repeat(32), "x"));
    var badTier = api.byo(workspaceKey, byoBody("+15035550105", "AC" + "0".repeat(32), "x").put("brand_tier", "platinum"));

    assertThat(telnyx.statusCode()).isEqualTo(422);
    assertThat(errorCode(telnyx)).isEqualTo("provider_not_supported");
    assertThat(telnyx.bodyAsJsonObject().getJsonObject("error").getString("message")).contains("only Twilio is supported");
    assertThat(uk.statusCode()).isEqualTo(422);
    assertThat(errorCode(uk)).isEqualTo("unsupported_country");
    assertThat(badTier.statusCode()).isEqualTo(422);
    assertThat(badTier.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("brand_tier");
  }

  @Test
  void aByoAccountsSignedWebhookIsAcceptedAndItsTextsGoThroughItsOwnAccount() {
    String token = "token-" + System.nanoTime();
    var account = api.sandboxAccount(token, "+15035550106", "true");
    assertThat(api.byo(workspaceKey, byoBody("+15035550106", account.accountSid(), token)).statusCode()).isEqualTo(201);

    var inbound = http.postJson("/sandbox/inbound", ADMIN, new JsonObject()
        .put("from", CUSTOMER).put("to", "+15035550106").put("body", "hello").put("account_sid", account.accountSid()));
    var sent = http.postJson("/v1/messages", workspaceKey, new JsonObject()
        .put("from_number", "+15035550106").put("to_number", CUSTOMER).put("body", "hi from my own Twilio"));

    assertThat(inbound.bodyAsJsonObject().getInteger("webhook_status")).isEqualTo(200);
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(202);
    TwilioAccount own = new TwilioAccount(account.accountSid(), token);
    Await.until("the text is sent through the customer's account", () -> !Await.result(running.gateway().services().twilioApi()
        .recentMessages(own, "+15035550106", CUSTOMER, 10)).isEmpty());
  }

  @Test
  void anAccountTheGatewayDoesNotKnowIsRefused() {
    var stranger = api.sandboxAccount("stranger-token", "+15035550107", "true");

    var inbound = http.postJson("/sandbox/inbound", ADMIN, new JsonObject()
        .put("from", CUSTOMER).put("to", "+15035550107").put("body", "hello").put("account_sid", stranger.accountSid()));

    assertThat(inbound.bodyAsJsonObject().getInteger("webhook_status")).isEqualTo(403);
  }

  @Test
  void deletingAByoNumberForgetsItsToken() {
    String token = "token-" + System.nanoTime();
    var account = api.sandboxAccount(token, "+15035550108", "true");
    assertThat(api.byo(workspaceKey, byoBody("+15035550108", account.accountSid(), token)).statusCode()).isEqualTo(201);

    var deleted = http.delete("/v1/sms-numbers/+15035550108", workspaceKey);
    var inbound = http.postJson("/sandbox/inbound", ADMIN, new JsonObject()
        .put("from", CUSTOMER).put("to", "+15035550108").put("body", "still there?").put("account_sid", account.accountSid()));

    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(inbound.bodyAsJsonObject().getInteger("webhook_status")).isEqualTo(403);
    assertThat(Await.result(running.gateway().pg().preparedQuery("SELECT 1 FROM byo_twilio_accounts WHERE account_sid = $1")
        .execute(Tuple.of(account.accountSid()))).size()).isZero();
  }

  private static JsonObject byoBody(String number, String accountSid, String token) {
    return new JsonObject().put("phone_number", number).put("account_sid", accountSid).put("auth_token", token);
  }

  private static double failures(String kind) {
    return running.gateway().registry().get("gateway.numbers.byo_verification_failures").tag("kind", kind).counter().count();
  }

  private static List<String> logLines() {
    synchronized (logs.list) {
      return logs.list.stream()
          .map(event -> event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy())))
          .toList();
    }
  }
}
