package com.smsgateway.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.smsgateway.config.Config;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TwilioApiTest {
  private static final TwilioAccount ACCOUNT = new TwilioAccount("AC11111111111111111111111111111111", "token-1");
  private static final String MESSAGE_JSON = """
      {"sid": "SM0123456789abcdef0123456789abcdef", "account_sid": "AC11111111111111111111111111111111",
       "status": "queued", "num_segments": "2", "error_code": null, "to": "+14155550100", "from": "+14155550199"}""";
  private static final int MAX_ATTEMPTS = 3;

  private static Vertx vertx;
  private static TwilioStub twilio;
  private MeterRegistry registry;
  private TwilioApi api;

  @BeforeAll
  static void startStub() {
    vertx = Vertx.vertx();
    twilio = TwilioStub.start(vertx);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @BeforeEach
  void newApi() {
    twilio.reset();
    registry = new SimpleMeterRegistry();
    TwilioConfig config = TwilioConfig.from(Config.fromYaml("", Map.of(
        "GATEWAY_PUBLIC_BASE_URL", "http://gateway.test",
        "GATEWAY_TWILIO_MODE", "live",
        "GATEWAY_TWILIO_ACCOUNT_SID", ACCOUNT.accountSid(),
        "GATEWAY_TWILIO_AUTH_TOKEN", ACCOUNT.authToken(),
        "GATEWAY_TWILIO_API_BASE_URL", twilio.baseUrl(),
        "GATEWAY_TWILIO_RETRY_MAX_ATTEMPTS", Integer.toString(MAX_ATTEMPTS),
        "GATEWAY_TWILIO_RETRY_INITIAL_BACKOFF", "1ms",
        "GATEWAY_TWILIO_RETRY_MAX_BACKOFF", "2ms")));
    api = TwilioApi.create(vertx, config, registry, new com.smsgateway.dependency.DependencyHealth(registry));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  private TwilioApi.SentMessage send() throws Exception {
    return await(api.sendMessage(ACCOUNT, "+14155550199", "+14155550100", "hello there", List.of(), "http://gateway.test/twilio/status"));
  }

  @Test
  void sendsThroughTheSdkToTheConfiguredBaseUrl() throws Exception {
    twilio.answer(201, MESSAGE_JSON);

    TwilioApi.SentMessage sent = await(api.sendMessage(ACCOUNT, "+14155550199", "+14155550100", "hello there",
        List.of("https://cdn.example.com/a.jpg", "https://cdn.example.com/b.png"), "http://gateway.test/twilio/status"));

    assertThat(sent).isEqualTo(new TwilioApi.SentMessage("SM0123456789abcdef0123456789abcdef", "queued", OptionalInt.of(2), OptionalInt.empty()));
    TwilioStub.Received request = twilio.received().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/api/2010-04-01/Accounts/" + ACCOUNT.accountSid() + "/Messages.json");
    assertThat(request.headers().get("Authorization"))
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString((ACCOUNT.accountSid() + ":" + ACCOUNT.authToken()).getBytes(StandardCharsets.UTF_8)));
    assertThat(request.headers().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
    assertThat(formParams(request.body())).containsExactlyInAnyOrder(
        Map.entry("To", "+14155550100"),
        Map.entry("From", "+14155550199"),
        Map.entry("Body", "hello there"),
        Map.entry("StatusCallback", "http://gateway.test/twilio/status"),
        Map.entry("MediaUrl", "https://cdn.example.com/a.jpg"),
        Map.entry("MediaUrl", "https://cdn.example.com/b.png"));
  }

  @Test
  void retriesA500ThenSucceeds() throws Exception {
    twilio.twilioError(500, 20500, "Internal Server Error").answer(201, MESSAGE_JSON);

    assertThat(send().sid()).isEqualTo("SM0123456789abcdef0123456789abcdef");
    assertThat(twilio.received()).hasSize(2);
    assertThat(registry.counter("gateway.twilio.api.retries", "operation", TwilioApi.SEND_MESSAGE).count()).isEqualTo(1);
    assertThat(registry.counter("gateway.twilio.api.errors", "operation", TwilioApi.SEND_MESSAGE, "status", "500").count()).isEqualTo(1);
    assertThat(registry.timer("gateway.twilio.api.latency", "operation", TwilioApi.SEND_MESSAGE, "outcome", "success").count()).isEqualTo(1);
    assertThat(registry.timer("gateway.twilio.api.latency", "operation", TwilioApi.SEND_MESSAGE, "outcome", "error").count()).isEqualTo(1);
  }

  @Test
  void retriesA429() throws Exception {
    twilio.twilioError(429, 20429, "Too Many Requests").answer(201, MESSAGE_JSON);

    assertThat(send().status()).isEqualTo("queued");
    assertThat(twilio.received()).hasSize(2);
  }

  @Test
  void retriesALookupWhenTheConnectionDrops() throws Exception {
    twilio.dropConnection().answer(200, """
        {"phone_number": "+14155550100", "valid": true, "line_type_intelligence": {"carrier_name": "Verizon Wireless", "type": "mobile"}}""");

    assertThat(await(api.lookupCarrier(ACCOUNT, "+14155550100")).carrierName()).isEqualTo("Verizon Wireless");
    assertThat(twilio.received()).hasSize(2);
  }

  /** The message may have reached Twilio before the connection dropped: the outbound sender asks Twilio instead. */
  @Test
  void neverRepeatsASendWhoseConnectionDropped() {
    twilio.dropConnection().answer(201, MESSAGE_JSON);

    assertThatThrownBy(this::send).isInstanceOfSatisfying(TwilioApiException.class, failure -> assertThat(failure.ioFailure()).isTrue());
    assertThat(twilio.received()).hasSize(1);
  }

  @Test
  void neverRetriesOther4xx() {
    twilio.twilioError(400, 21610, "Attempt to send to unsubscribed recipient").answer(201, MESSAGE_JSON);

    assertThatThrownBy(this::send)
        .isInstanceOfSatisfying(TwilioApiException.class, failure -> {
          assertThat(failure.httpStatus()).isEqualTo(400);
          assertThat(failure.twilioErrorCode()).hasValue(21610);
          assertThat(failure.recipientOptedOut()).isTrue();
          assertThat(failure.retryable()).isFalse();
          assertThat(failure).hasMessageContaining("unsubscribed");
        });
    assertThat(twilio.received()).hasSize(1);
    assertThat(registry.find("gateway.twilio.api.retries").counters()).allSatisfy(counter -> assertThat(counter.count()).isZero());
  }

  @Test
  void exhaustedRetriesFailWithTheLastError() {
    twilio.twilioError(500, 20500, "first").twilioError(502, 20502, "second").twilioError(503, 20503, "third");

    assertThatThrownBy(this::send)
        .isInstanceOfSatisfying(TwilioApiException.class, failure -> {
          assertThat(failure.httpStatus()).isEqualTo(503);
          assertThat(failure.twilioErrorCode()).hasValue(20503);
          assertThat(failure.retryable()).isTrue();
          assertThat(failure).hasMessage("third");
        });
    assertThat(twilio.received()).hasSize(MAX_ATTEMPTS);
    assertThat(registry.counter("gateway.twilio.api.retries", "operation", TwilioApi.SEND_MESSAGE).count()).isEqualTo(MAX_ATTEMPTS - 1);
  }

  @Test
  void keepsTheHttpStatusOfAnErrorThatIsNotTwiliosJson() {
    twilio.answer(401, "<html>proxy says no</html>");

    assertThatThrownBy(this::send)
        .isInstanceOfSatisfying(TwilioApiException.class, failure -> {
          assertThat(failure.httpStatus()).isEqualTo(401);
          assertThat(failure.twilioErrorCode()).isEmpty();
        });
  }

  @Test
  void completesOnTheCallersContext() throws Exception {
    twilio.answer(201, MESSAGE_JSON);
    Context caller = vertx.getOrCreateContext();
    Promise<Boolean> completedOnCaller = Promise.promise();

    caller.runOnContext(v -> api.sendMessage(ACCOUNT, "+14155550199", "+14155550100", "hi", List.of(), "http://gateway.test/twilio/status")
        .onComplete(done -> completedOnCaller.complete(Vertx.currentContext() == caller)));

    assertThat(await(completedOnCaller.future())).isTrue();
  }

  @Test
  void findsAvailableLocalSmsNumbers() throws Exception {
    twilio.answer(200, """
        {"available_phone_numbers": [{"phone_number": "+14155550100"}, {"phone_number": "+14155550101"}],
         "uri": "/2010-04-01/Accounts/AC11111111111111111111111111111111/AvailablePhoneNumbers/US/Local.json", "end": 1, "page": 0, "page_size": 50}""");

    assertThat(await(api.availableLocalNumbers(ACCOUNT, 415, "55", 20))).extracting(TwilioApi.AvailableNumber::phoneNumber)
        .containsExactly("+14155550100", "+14155550101");
    TwilioStub.Received request = twilio.received().get(0);
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.path()).isEqualTo("/api/2010-04-01/Accounts/" + ACCOUNT.accountSid() + "/AvailablePhoneNumbers/US/Local.json");
    assertThat(formParams(request.query())).contains(Map.entry("AreaCode", "415"), Map.entry("SmsEnabled", "true"),
        Map.entry("Contains", "55"), Map.entry("PageSize", "20"));
  }

  @Test
  void buysANumberWithItsSmsUrl() throws Exception {
    twilio.answer(201, """
        {"sid": "PN0123456789abcdef0123456789abcdef", "phone_number": "+14155550100", "sms_url": "http://gateway.test/twilio/messages"}""");

    assertThat(await(api.buyNumber(ACCOUNT, "+14155550100", "http://gateway.test/twilio/messages", "http://gateway.test/twilio/status")))
        .isEqualTo(new TwilioApi.PurchasedNumber("PN0123456789abcdef0123456789abcdef", "+14155550100"));
    assertThat(formParams(twilio.received().get(0).body())).contains(
        Map.entry("PhoneNumber", "+14155550100"), Map.entry("SmsUrl", "http://gateway.test/twilio/messages"), Map.entry("SmsMethod", "POST"),
        Map.entry("StatusCallback", "http://gateway.test/twilio/status"));
  }

  @Test
  void looksUpTheCarrier() throws Exception {
    twilio.answer(200, """
        {"phone_number": "+14155550100", "valid": true,
         "line_type_intelligence": {"carrier_name": "T-Mobile USA, Inc.", "type": "mobile", "mobile_country_code": "310", "mobile_network_code": "260", "error_code": null}}""");

    assertThat(await(api.lookupCarrier(ACCOUNT, "+14155550100"))).isEqualTo(new TwilioApi.LineTypeIntelligence("T-Mobile USA, Inc.", "mobile", true));
    TwilioStub.Received request = twilio.received().get(0);
    assertThat(request.path()).isEqualTo("/lookups/v2/PhoneNumbers/%2B14155550100");
    assertThat(formParams(request.query())).containsExactly(Map.entry("Fields", "line_type_intelligence"));
  }

  private static List<Map.Entry<String, String>> formParams(String encoded) {
    return java.util.Arrays.stream(encoded.split("&"))
        .map(pair -> pair.split("=", 2))
        .map(pair -> Map.entry(URLDecoder.decode(pair[0], StandardCharsets.UTF_8), URLDecoder.decode(pair[1], StandardCharsets.UTF_8)))
        .toList();
  }
}
