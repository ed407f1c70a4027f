package com.smsgateway.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.smsgateway.testing.StandaloneRouter;
import com.smsgateway.auth.ActiveApiKeys;
import com.smsgateway.auth.ApiKeyAuth;
import com.smsgateway.auth.ApiKeyStore;
import com.smsgateway.auth.ApiKeysConfig;
import com.smsgateway.config.Config;
import com.smsgateway.http.Routes;
import com.smsgateway.testing.EmbeddedServices;
import com.smsgateway.twilio.PlatformTwilioAccounts;
import com.smsgateway.twilio.TwilioAccount;
import com.smsgateway.twilio.TwilioApi;
import com.smsgateway.twilio.TwilioApiException;
import com.smsgateway.twilio.TwilioConfig;
import com.smsgateway.twilio.TwilioSignature;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.pgclient.PgBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox mounted through the gateway's router, driven through {@link TwilioApi} like the gateway drives Twilio. */
class SandboxTest {
  private static final String ADMIN_KEY = "sandbox-test-admin-key-0123";
  private static final TwilioAccount PLATFORM = new TwilioAccount(TwilioConfig.SANDBOX_ACCOUNT_SID, TwilioConfig.SANDBOX_AUTH_TOKEN);
  private static final String AGENT = "+14155550199";
  private static final String CUSTOMER = "+14155550100";

  /** A signed webhook the gateway's side received; {@code signatureValid} as Twilio's libraries would judge it. */
  private record Webhook(MultiMap params, boolean signatureValid) {}

  private static Vertx vertx;
  private static WebClient http;
  private static String publicBaseUrl;
  private static MeterRegistry registry;
  private static TwilioApi api;
  private static final Map<String, BlockingQueue<Webhook>> statusCallbacksBySid = new ConcurrentHashMap<>();
  private static final BlockingQueue<Webhook> inboundMessages = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    http = WebClient.create(vertx);
    int port = EmbeddedServices.freePort();
    publicBaseUrl = "http://127.0.0.1:" + port;
    registry = new SimpleMeterRegistry();
    Config config = Config.fromYaml("", Map.of(
        "GATEWAY_TWILIO_MODE", "sandbox",
        "GATEWAY_PUBLIC_BASE_URL", publicBaseUrl,
        "GATEWAY_TWILIO_RETRY_MAX_ATTEMPTS", "3",
        "GATEWAY_TWILIO_RETRY_INITIAL_BACKOFF", "1ms",
        "GATEWAY_TWILIO_RETRY_MAX_BACKOFF", "2ms",
        "GATEWAY_SANDBOX_CALLBACK_DELAY", "1ms"));
    TwilioConfig twilio = TwilioConfig.from(config);
    // Only the bootstrap admin key or no key is presented here, so the key store's pool is never used.
    ApiKeyAuth apiAuth = new ApiKeyAuth(
        new ActiveApiKeys(new ApiKeyStore(PgBuilder.pool().using(vertx).build()), ApiKeysConfig.from(config), registry), Optional.of(ADMIN_KEY));
    vertx.deployVerticle(new SandboxTwilio(SandboxConfig.from(config), publicBaseUrl, twilio.platformAccount(), registry)).await();
    SandboxRoutes sandbox = new SandboxRoutes(new PlatformTwilioAccounts(twilio.platformAccount()), apiAuth);
    Routes gatewaySide = router -> {
      router.post("/twilio/status").handler(ctx -> {
        Webhook webhook = verified(ctx.request().formAttributes(), "/twilio/status", ctx.request().getHeader(TwilioSignature.HEADER));
        statusCallbacks(webhook.params().get("MessageSid")).add(webhook);
        ctx.response().setStatusCode(webhook.signatureValid() ? 200 : 403).end();
      });
      router.post("/twilio/messages").handler(ctx -> {
        Webhook webhook = verified(ctx.request().formAttributes(), "/twilio/messages", ctx.request().getHeader(TwilioSignature.HEADER));
        inboundMessages.add(webhook);
        ctx.response().setStatusCode(webhook.signatureValid() ? 200 : 403).putHeader("Content-Type", "text/xml").end("<Response/>");
      });
    };
    vertx.createHttpServer()
        .requestHandler(StandaloneRouter.create(vertx, apiAuth, registry, List.of(sandbox, gatewaySide)))
        .listen(port, "127.0.0.1")
        .await();
    api = TwilioApi.create(vertx, twilio, registry, new com.smsgateway.dependency.DependencyHealth(registry));
  }

  @AfterAll
  static void stop() {
    api.close();
    vertx.close().await();
  }

  @AfterEach
  void clearFaults() throws Exception {
    assertThat(await(http.deleteAbs(publicBaseUrl + "/sandbox/faults").bearerTokenAuthentication(ADMIN_KEY).send()).statusCode()).isEqualTo(204);
  }

  private static Webhook verified(MultiMap params, String path, String signature) {
    MultiMap copy = MultiMap.caseInsensitiveMultiMap().addAll(params);
    return new Webhook(copy, TwilioSignature.matches(PLATFORM.authToken(), publicBaseUrl + path, copy, signature));
  }

  private static BlockingQueue<Webhook> statusCallbacks(String messageSid) {
    return statusCallbacksBySid.computeIfAbsent(messageSid, sid -> new LinkedBlockingQueue<>());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  private static Future<TwilioApi.SentMessage> send(String to) {
    return api.sendMessage(PLATFORM, AGENT, to, "Your table is booked", List.of(), publicBaseUrl + "/twilio/status");
  }

  private static HttpResponse<Buffer> addFault(JsonObject fault) throws Exception {
    return await(http.postAbs(publicBaseUrl + "/sandbox/faults").bearerTokenAuthentication(ADMIN_KEY).sendJsonObject(fault));
  }

  @Test
  void aSendIsQueuedThenReportedSentAndDeliveredWithSignedCallbacks() throws Exception {
    TwilioApi.SentMessage sent = await(send(CUSTOMER));

    assertThat(sent.sid()).matches("SM[0-9a-f]{32}");
    assertThat(sent.status()).isEqualTo("queued");
    assertThat(sent.numSegments()).hasValue(1);
    BlockingQueue<Webhook> callbacks = statusCallbacks(sent.sid());
    for (String expected : List.of("queued", "sent", "delivered")) {
      Webhook callback = callbacks.poll(10, TimeUnit.SECONDS);
      assertThat(callback).as("the '%s' callback", expected).isNotNull();
      assertThat(callback.signatureValid()).isTrue();
      assertThat(callback.params().get("MessageStatus")).isEqualTo(expected);
      assertThat(callback.params().get("AccountSid")).isEqualTo(PLATFORM.accountSid());
      assertThat(callback.params().get("From")).isEqualTo(AGENT);
      assertThat(callback.params().get("To")).isEqualTo(CUSTOMER);
    }
  }

  @Test
  void statusCallbacksGoOnlyToTheGatewayItselfNeverToAnotherUrl() throws Exception {
    AtomicInteger reached = new AtomicInteger();
    HttpServer elsewhere = vertx.createHttpServer().requestHandler(request -> {
      reached.incrementAndGet();
      request.response().end();
    }).listen(0, "127.0.0.1").await();
    try {
      for (String foreign : List.of("http://127.0.0.1:" + elsewhere.actualPort() + "/twilio/status",
          "http://169.254.169.254/latest/meta-data", publicBaseUrl + "@evil.example/twilio/status",
          publicBaseUrl.replace("http://", "http://user@") + "/twilio/status")) {
        HttpResponse<Buffer> response = await(http.postAbs(publicBaseUrl + "/sandbox/twilio/api/2010-04-01/Accounts/" + PLATFORM.accountSid() + "/Messages.json")
            .basicAuthentication(PLATFORM.accountSid(), PLATFORM.authToken())
            .sendForm(MultiMap.caseInsensitiveMultiMap().add("To", CUSTOMER).add("From", AGENT).add("Body", "hi").add("StatusCallback", foreign)));

        assertThat(response.statusCode()).as(foreign).isEqualTo(400);
        assertThat(response.bodyAsJsonObject().getInteger("code")).isEqualTo(21609);
      }
      assertThat(registry.counter("gateway.sandbox.foreign_status_callbacks_refused").count()).isEqualTo(4);
      TwilioApi.SentMessage own = await(send(CUSTOMER));
      Webhook delivered = statusCallbacks(own.sid()).poll(10, TimeUnit.SECONDS);
      assertThat(delivered).as("the gateway's own status URL still gets its callbacks").isNotNull();
      assertThat(reached).as("nothing was posted elsewhere").hasValue(0);
    } finally {
      elsewhere.close().await();
    }
  }

  @Test
  void wrongCredentialsGetTwiliosAuthenticationError() throws Exception {
    HttpResponse<Buffer> response = await(http.postAbs(publicBaseUrl + "/sandbox/twilio/api/2010-04-01/Accounts/" + PLATFORM.accountSid() + "/Messages.json")
        .basicAuthentication(PLATFORM.accountSid(), "not-the-token")
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("To", CUSTOMER).add("From", AGENT).add("Body", "hi")));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.bodyAsJsonObject().getInteger("code")).isEqualTo(20003);
    assertThat(response.bodyAsJsonObject().getInteger("status")).isEqualTo(401);

    TwilioAccount impostor = new TwilioAccount(PLATFORM.accountSid(), "not-the-token");
    assertThatThrownBy(() -> await(api.sendMessage(impostor, AGENT, CUSTOMER, "hi", List.of(), publicBaseUrl + "/twilio/status")))
        .isInstanceOfSatisfying(TwilioApiException.class, failure -> {
          assertThat(failure.httpStatus()).isEqualTo(401);
          assertThat(failure.twilioErrorCode()).hasValue(20003);
        });
  }

  @Test
  void anInjected500IsRetriedByTheApi() throws Exception {
    assertThat(addFault(new JsonObject().put("operation", "send").put("status", 500).put("twilio_code", 20500).put("count", 1)).statusCode()).isEqualTo(201);
    double retriesBefore = registry.counter("gateway.twilio.api.retries", "operation", TwilioApi.SEND_MESSAGE).count();

    assertThat(await(send(CUSTOMER)).status()).isEqualTo("queued");
    assertThat(registry.counter("gateway.twilio.api.retries", "operation", TwilioApi.SEND_MESSAGE).count()).isEqualTo(retriesBefore + 1);
  }

  @Test
  void persistentInjected503sExhaustTheRetries() throws Exception {
    addFault(new JsonObject().put("operation", "send").put("status", 503).put("twilio_code", 20503).put("message", "Service unavailable").put("count", 3));

    assertThatThrownBy(() -> await(send(CUSTOMER)))
        .isInstanceOfSatisfying(TwilioApiException.class, failure -> {
          assertThat(failure.httpStatus()).isEqualTo(503);
          assertThat(failure.twilioErrorCode()).hasValue(20503);
          assertThat(failure).hasMessage("Service unavailable");
        });
  }

  @Test
  void anOptedOutRecipientFailsWith21610WhileOthersStillGetTexts() throws Exception {
    String optedOut = "+14155550111";
    addFault(new JsonObject().put("operation", "send").put("status", 400).put("twilio_code", 21610)
        .put("message", "Attempt to send to unsubscribed recipient").put("phone_number", optedOut).put("count", 100));

    assertThatThrownBy(() -> await(send(optedOut)))
        .isInstanceOfSatisfying(TwilioApiException.class, failure -> {
          assertThat(failure.recipientOptedOut()).isTrue();
          assertThat(failure.retryable()).isFalse();
        });
    assertThat(await(send(CUSTOMER)).status()).isEqualTo("queued");
  }

  @Test
  void faultRoutesNeedAnAdminKeyAndValidFaults() throws Exception {
    HttpResponse<Buffer> anonymous = await(http.postAbs(publicBaseUrl + "/sandbox/faults")
        .sendJsonObject(new JsonObject().put("operation", "send").put("status", 500).put("twilio_code", 20500)));
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("unauthorized");

    HttpResponse<Buffer> badOperation = addFault(new JsonObject().put("operation", "teleport").put("status", 500).put("twilio_code", 20500));
    assertThat(badOperation.statusCode()).isEqualTo(422);
    assertThat(badOperation.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("operation");

    HttpResponse<Buffer> badStatus = addFault(new JsonObject().put("operation", "send").put("status", 200).put("twilio_code", 20500));
    assertThat(badStatus.statusCode()).isEqualTo(422);
    assertThat(badStatus.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("status");
  }

  @Test
  void injectsASignedInboundMms() throws Exception {
    HttpResponse<Buffer> response = await(http.postAbs(publicBaseUrl + "/sandbox/inbound").bearerTokenAuthentication(ADMIN_KEY)
        .sendJsonObject(new JsonObject().put("from", CUSTOMER).put("to", AGENT).put("body", "here is my receipt")
            .put("media_urls", new JsonArray().add("https://media.example.com/receipt.jpg"))));

    assertThat(response.statusCode()).isEqualTo(200);
    String sid = response.bodyAsJsonObject().getString("message_sid");
    assertThat(sid).matches("SM[0-9a-f]{32}");
    assertThat(response.bodyAsJsonObject().getInteger("webhook_status")).isEqualTo(200);
    Webhook inbound = inboundMessages.poll(10, TimeUnit.SECONDS);
    assertThat(inbound).isNotNull();
    assertThat(inbound.signatureValid()).isTrue();
    assertThat(inbound.params().get("MessageSid")).isEqualTo(sid);
    assertThat(inbound.params().get("AccountSid")).isEqualTo(PLATFORM.accountSid());
    assertThat(inbound.params().get("From")).isEqualTo(CUSTOMER);
    assertThat(inbound.params().get("To")).isEqualTo(AGENT);
    assertThat(inbound.params().get("Body")).isEqualTo("here is my receipt");
    assertThat(inbound.params().get("NumMedia")).isEqualTo("1");
    assertThat(inbound.params().get("NumSegments")).isEqualTo("1");
    assertThat(inbound.params().get("MediaUrl0")).isEqualTo("https://media.example.com/receipt.jpg");
    assertThat(inbound.params().get("MediaContentType0")).isEqualTo("image/jpeg");
    assertThat(inbound.params().get("SmsStatus")).isEqualTo("received");
    assertThat(inbound.params().get("ApiVersion")).isEqualTo("2010-04-01");
  }

  @Test
  void inboundInjectionValidatesItsInput() throws Exception {
    HttpResponse<Buffer> response = await(http.postAbs(publicBaseUrl + "/sandbox/inbound").bearerTokenAuthentication(ADMIN_KEY)
        .sendJsonObject(new JsonObject().put("from", "12345").put("to", AGENT).put("body", "hi")));

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo("from");
  }

  @Test
  void listsBuysAndRemembersNumbers() throws Exception {
    List<String> available = numbers(await(api.availableLocalNumbers(PLATFORM, 628, null, 50)));
    assertThat(available).hasSize(20).allMatch(number -> number.matches("\\+162855501\\d\\d"));

    TwilioApi.PurchasedNumber bought = await(api.buyNumber(PLATFORM, available.get(5), publicBaseUrl + "/twilio/messages", publicBaseUrl + "/twilio/status"));
    assertThat(bought.sid()).matches("PN[0-9a-f]{32}");
    assertThat(bought.phoneNumber()).isEqualTo(available.get(5));
    assertThat(numbers(await(api.availableLocalNumbers(PLATFORM, 628, null, 50)))).hasSize(20).doesNotContain(available.get(5));
    assertThat(await(api.findIncomingNumber(PLATFORM, available.get(5)))).contains(new TwilioApi.IncomingNumber(bought.sid(), available.get(5), true));
    assertThatThrownBy(() -> await(api.buyNumber(PLATFORM, available.get(5), publicBaseUrl + "/twilio/messages", publicBaseUrl + "/twilio/status")))
        .isInstanceOfSatisfying(TwilioApiException.class, failure -> assertThat(failure.twilioErrorCode()).hasValue(21422));

    await(api.releaseNumber(PLATFORM, bought.sid()));
    assertThat(await(api.findIncomingNumber(PLATFORM, available.get(5)))).isEmpty();
    assertThat(numbers(await(api.availableLocalNumbers(PLATFORM, 628, null, 50)))).contains(available.get(5));
  }

  @Test
  void someAreaCodesHaveNoNumbersAndContainsFilters() throws Exception {
    assertThat(await(api.availableLocalNumbers(PLATFORM, 299, null, 50))).isEmpty();
    assertThat(numbers(await(api.availableLocalNumbers(PLATFORM, 415, "0107", 50)))).containsExactly("+14155550107");
  }

  private static List<String> numbers(List<TwilioApi.AvailableNumber> available) {
    return available.stream().map(TwilioApi.AvailableNumber::phoneNumber).toList();
  }

  @Test
  void theCarrierFollowsTheLastDigit() throws Exception {
    assertThat(await(api.lookupCarrier(PLATFORM, "+14155550100"))).isEqualTo(new TwilioApi.LineTypeIntelligence("T-Mobile USA, Inc.", "mobile", true));
    assertThat(await(api.lookupCarrier(PLATFORM, "+14155550104"))).isEqualTo(new TwilioApi.LineTypeIntelligence("Verizon Wireless", "mobile", false));
    assertThat(await(api.lookupCarrier(PLATFORM, "+14155550108")).lineType()).isEqualTo("landline");
    assertThat(FictionalCarrier.of("+14155550102")).isEqualTo(FictionalCarrier.T_MOBILE);
  }
}
