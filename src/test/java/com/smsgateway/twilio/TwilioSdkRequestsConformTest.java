package com.smsgateway.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.whitelist.ValidationErrorsWhitelist;
import com.atlassian.oai.validator.whitelist.rule.WhitelistRules;
import com.smsgateway.testing.StandaloneRouter;
import com.smsgateway.auth.ActiveApiKeys;
import com.smsgateway.auth.ApiKeyAuth;
import com.smsgateway.auth.ApiKeyStore;
import com.smsgateway.auth.ApiKeysConfig;
import com.smsgateway.config.Config;
import com.smsgateway.http.Routes;
import com.smsgateway.sandbox.SandboxConfig;
import com.smsgateway.sandbox.SandboxRoutes;
import com.smsgateway.sandbox.SandboxTwilio;
import com.smsgateway.testing.EmbeddedServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The requests the real Twilio SDK sends for the gateway's operations (captured in front of the sandbox)
 * conform to Twilio's published OpenAPI documents: path, method, query, form body and basic auth.
 */
class TwilioSdkRequestsConformTest {
  private static final String SPECS_DIR = "shared/twilio-openapi";
  private static final String API_PREFIX = TwilioConfig.SANDBOX_PATH + "/api";
  private static final String LOOKUPS_PREFIX = TwilioConfig.SANDBOX_PATH + "/lookups";
  private static final TwilioAccount ACCOUNT = new TwilioAccount(TwilioConfig.SANDBOX_ACCOUNT_SID, TwilioConfig.SANDBOX_AUTH_TOKEN);

  private record Captured(String method, String path, String rawQuery, String contentType, String authorization, String body) {}

  private static OpenApiInteractionValidator apiV2010;
  private static OpenApiInteractionValidator lookupsV2;
  private static OpenApiInteractionValidator messagingV1;
  private static final String MESSAGING_PREFIX = TwilioConfig.SANDBOX_PATH + "/messaging";
  private static Vertx vertx;
  private static TwilioApi api;
  private static String publicBaseUrl;
  private static final List<Captured> captured = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void loadSpecsAndStartTheSandbox() {
    Path specs = twilioOpenApiDir();
    apiV2010 = strictValidator(specs.resolve("twilio_api_v2010.json"));
    lookupsV2 = strictValidator(specs.resolve("twilio_lookups_v2.json"));
    messagingV1 = strictValidator(specs.resolve("twilio_messaging_v1.json"));

    vertx = Vertx.vertx();
    int port = EmbeddedServices.freePort();
    publicBaseUrl = "http://127.0.0.1:" + port;
    Config config = Config.fromYaml("", Map.of("GATEWAY_TWILIO_MODE", "sandbox", "GATEWAY_PUBLIC_BASE_URL", publicBaseUrl,
        "GATEWAY_SANDBOX_CALLBACK_DELAY", "1h"));
    TwilioConfig twilio = TwilioConfig.from(config);
    ApiKeyAuth unusedAuth = new ApiKeyAuth(
        new ActiveApiKeys(new ApiKeyStore(PgBuilder.pool().using(vertx).build()), ApiKeysConfig.from(config), new SimpleMeterRegistry()),
        Optional.empty());
    Routes capture = router -> router.route(TwilioConfig.SANDBOX_PATH + "/*").handler(ctx -> {
      captured.add(new Captured(ctx.request().method().name(), ctx.request().path(), ctx.request().query(),
          ctx.request().getHeader("Content-Type"), ctx.request().getHeader("Authorization"), Objects.requireNonNullElse(ctx.body().asString(), "")));
      ctx.next();
    });
    vertx.deployVerticle(new SandboxTwilio(SandboxConfig.from(config), publicBaseUrl, twilio.platformAccount(), new SimpleMeterRegistry())).await();
    SandboxRoutes sandbox = new SandboxRoutes(new PlatformTwilioAccounts(twilio.platformAccount()), unusedAuth);
    vertx.createHttpServer()
        .requestHandler(StandaloneRouter.create(vertx, unusedAuth, new SimpleMeterRegistry(), List.of(capture, sandbox)))
        .listen(port, "127.0.0.1")
        .await();
    api = TwilioApi.create(vertx, twilio, new SimpleMeterRegistry(), new com.smsgateway.dependency.DependencyHealth(new SimpleMeterRegistry()));
  }

  @AfterAll
  static void stop() {
    api.close();
    vertx.close().await();
  }

  @BeforeEach
  void clearCaptured() {
    captured.clear();
  }

  /** {@code <repo>/../shared/twilio-openapi}, the repository root found from wherever the tests run inside it. */
  private static Path twilioOpenApiDir() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !(Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("src/main/java/com/smsgateway")))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("the sms-gateway repository root above %s", Path.of("").toAbsolutePath()).isNotNull();
    Path specs = dir.toAbsolutePath().getParent().resolve(SPECS_DIR);
    assertThat(specs.resolve("twilio_api_v2010.json")).as("Twilio's OpenAPI documents beside the repository").exists();
    return specs;
  }

  /**
   * Unknown query parameters and unknown form fields are errors too, not only wrong or missing ones. The
   * validator guesses a form value's JSON type from its text ({@code +14155550100} becomes an integer) instead
   * of reading the schema; every form value is a string on the wire, so "a number or boolean where a string is
   * allowed" is never a real mismatch and is waived. The opposite ("abc" for an integer) still fails.
   */
  private static OpenApiInteractionValidator strictValidator(Path spec) {
    return OpenApiInteractionValidator.createForSpecificationUrl(spec.toUri().toString())
        .withLevelResolver(LevelResolver.create()
            .withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.ERROR)
            .withLevel("validation.schema.additionalProperties", ValidationReport.Level.ERROR)
            .build())
        .withWhitelist(ValidationErrorsWhitelist.create().withRule("form values are strings on the wire", WhitelistRules.allOf(
            WhitelistRules.messageHasKey("validation.request.body.schema.type"),
            WhitelistRules.messageContainsRegexp("Instance type \\((integer|number|boolean)\\) does not match any allowed primitive type \\(allowed: \\[[^\\]]*\"string\""))))
        .build();
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  @Test
  void messagesCreateWithStatusCallbackAndMedia() throws Exception {
    await(api.sendMessage(ACCOUNT, "+14155550199", "+14155550100", "Your receipt",
        List.of("https://media.example.com/a.jpg", "https://media.example.com/b.png"), publicBaseUrl + "/twilio/status"));

    Captured request = only("POST", "/Messages.json");
    assertThat(formParams(request.body())).containsKeys("To", "From", "Body", "StatusCallback", "MediaUrl");
    assertThat(formParams(request.body()).get("MediaUrl")).hasSize(2);
    assertConforms(apiV2010, API_PREFIX, request);
  }

  @Test
  void messagesListByFromAndTo() throws Exception {
    await(api.recentMessages(ACCOUNT, "+14155550199", "+14155550100", 50));

    Captured request = only("GET", "/Messages.json");
    assertThat(formParams(request.rawQuery())).containsKeys("From", "To", "PageSize");
    assertConforms(apiV2010, API_PREFIX, request);
  }

  @Test
  void messageFetchBySid() throws Exception {
    String sid = await(api.sendMessage(ACCOUNT, "+14155550199", "+14155550100", "Fetch me", List.of(), publicBaseUrl + "/twilio/status")).sid();
    captured.clear();

    TwilioApi.MessageState state = await(api.fetchMessage(ACCOUNT, sid));

    assertThat(state.status()).isEqualTo("queued");
    Captured request = only("GET", "/Messages/" + sid + ".json");
    assertConforms(apiV2010, API_PREFIX, request);
  }

  @Test
  void availablePhoneNumbersUsLocalWithAreaCodeAndSmsEnabled() throws Exception {
    await(api.availableLocalNumbers(ACCOUNT, 415, "55", 20));

    Captured request = only("GET", "/AvailablePhoneNumbers/US/Local.json");
    assertThat(formParams(request.rawQuery())).containsEntry("AreaCode", List.of("415")).containsEntry("SmsEnabled", List.of("true"))
        .containsEntry("Contains", List.of("55")).containsEntry("PageSize", List.of("20"));
    assertConforms(apiV2010, API_PREFIX, request);
  }

  @Test
  void incomingPhoneNumbersCreateWithSmsUrl() throws Exception {
    await(api.buyNumber(ACCOUNT, "+14155550142", publicBaseUrl + "/twilio/messages", publicBaseUrl + "/twilio/status"));

    Captured request = only("POST", "/IncomingPhoneNumbers.json");
    assertThat(formParams(request.body())).containsEntry("PhoneNumber", List.of("+14155550142")).containsKeys("SmsUrl", "StatusCallback");
    assertConforms(apiV2010, API_PREFIX, request);
  }

  @Test
  void incomingPhoneNumbersListUpdateAndDelete() throws Exception {
    String sid = await(api.buyNumber(ACCOUNT, "+14155550143", publicBaseUrl + "/twilio/messages", publicBaseUrl + "/twilio/status")).sid();
    captured.clear();

    await(api.findIncomingNumber(ACCOUNT, "+14155550143"));
    assertThat(formParams(only("GET", "/IncomingPhoneNumbers.json").rawQuery())).containsEntry("PhoneNumber", List.of("+14155550143"));
    assertConforms(apiV2010, API_PREFIX, captured.get(0));
    captured.clear();

    await(api.updateSmsUrl(ACCOUNT, sid, publicBaseUrl + "/twilio/messages"));
    assertConforms(apiV2010, API_PREFIX, only("POST", "/IncomingPhoneNumbers/" + sid + ".json"));
    captured.clear();

    await(api.releaseNumber(ACCOUNT, sid));
    assertConforms(apiV2010, API_PREFIX, only("DELETE", "/IncomingPhoneNumbers/" + sid + ".json"));
  }

  @Test
  void accountFetch() throws Exception {
    await(api.fetchAccount(ACCOUNT));

    assertConforms(apiV2010, API_PREFIX, only("GET", "/Accounts/" + ACCOUNT.accountSid() + ".json"));
  }

  @Test
  void lookupV2WithLineTypeIntelligence() throws Exception {
    await(api.lookupCarrier(ACCOUNT, "+14155550100"));

    Captured request = only("GET", "/v2/PhoneNumbers/%2B14155550100");
    assertThat(formParams(request.rawQuery())).containsEntry("Fields", List.of("line_type_intelligence"));
    assertConforms(lookupsV2, LOOKUPS_PREFIX, request);
  }

  /** Live-mode A2P registration: the sandbox does not answer these, only their request shape is checked. */
  private static void sentOnly(io.vertx.core.Future<?> request) {
    try {
      await(request);
    } catch (Exception answeredWithAnError) {
      // The request was sent and captured; the sandbox has no A2P registration endpoints.
    }
  }

  @Test
  void brandRegistrationCreateSkipsSecondaryVettingForLowVolume() {
    sentOnly(api.createBrandRegistration(ACCOUNT, "BU0123456789abcdef0123456789abcdef", "BU1123456789abcdef0123456789abcdef", true));

    Captured request = only("POST", "/v1/a2p/BrandRegistrations");
    assertThat(formParams(request.body())).containsEntry("SkipAutomaticSecVet", List.of("true"))
        .containsEntry("CustomerProfileBundleSid", List.of("BU0123456789abcdef0123456789abcdef"));
    assertConforms(messagingV1, MESSAGING_PREFIX, request);
  }

  @Test
  void messagingServiceCreateWithTheGatewaysInboundAndStatusUrls() {
    sentOnly(api.createMessagingService(ACCOUNT, "sms-gateway ws_1", publicBaseUrl + "/twilio/messages", publicBaseUrl + "/twilio/status"));

    Captured request = only("POST", "/v1/Services");
    assertThat(formParams(request.body())).containsEntry("InboundRequestUrl", List.of(publicBaseUrl + "/twilio/messages"))
        .containsEntry("StatusCallback", List.of(publicBaseUrl + "/twilio/status"));
    assertConforms(messagingV1, MESSAGING_PREFIX, request);
  }

  @Test
  void numbersAreAddedToTheMessagingService() {
    sentOnly(api.addNumberToService(ACCOUNT, "MG0123456789abcdef0123456789abcdef", "PN0123456789abcdef0123456789abcdef"));

    assertConforms(messagingV1, MESSAGING_PREFIX, only("POST", "/v1/Services/MG0123456789abcdef0123456789abcdef/PhoneNumbers"));
  }

  @Test
  void usa2pCampaignCreate() {
    sentOnly(api.createUsa2pCampaign(ACCOUNT, "MG0123456789abcdef0123456789abcdef", new TwilioApi.CampaignRequest(
        "BN0123456789abcdef0123456789abcdef", "Appointment reminders for patients", "Patients opt in on the booking form",
        List.of("Your appointment is tomorrow at 3pm.", "Reply STOP to opt out."), "ACCOUNT_NOTIFICATION", false, false,
        // Two keywords: one value of a form-encoded list cannot be told from a plain string by the validator.
        List.of("START", "YES"), "You are unsubscribed.", "Reply STOP to opt out.")));

    Captured request = only("POST", "/v1/Services/MG0123456789abcdef0123456789abcdef/Compliance/Usa2p");
    assertThat(formParams(request.body()).get("MessageSamples")).hasSize(2);
    assertConforms(messagingV1, MESSAGING_PREFIX, request);
  }

  @Test
  void brandAndCampaignStatusFetches() {
    sentOnly(api.brandRegistration(ACCOUNT, "BN0123456789abcdef0123456789abcdef"));
    assertConforms(messagingV1, MESSAGING_PREFIX, only("GET", "/v1/a2p/BrandRegistrations/BN0123456789abcdef0123456789abcdef"));
    captured.clear();

    sentOnly(api.usa2pCampaign(ACCOUNT, "MG0123456789abcdef0123456789abcdef", "QE2c6890da8086d771620e9b13fadeba0b"));
    assertConforms(messagingV1, MESSAGING_PREFIX,
        only("GET", "/v1/Services/MG0123456789abcdef0123456789abcdef/Compliance/Usa2p/QE2c6890da8086d771620e9b13fadeba0b"));
  }

  /** The validators are strict enough to catch a request that breaks the documents. */
  @Test
  void nonConformingRequestsAreCaught() {
    String messages = API_PREFIX + "/2010-04-01/Accounts/" + ACCOUNT.accountSid() + "/Messages.json";
    String form = "application/x-www-form-urlencoded";
    String valid = "To=%2B14155550100&From=%2B14155550199&Body=hi";

    assertThat(errorKeys(apiV2010, API_PREFIX, new Captured("POST", messages, null, form, "Basic eA==", valid))).isEmpty();
    assertThat(errorKeys(apiV2010, API_PREFIX, new Captured("POST", messages, null, form, "Basic eA==", valid + "&Priority=high")))
        .as("an unknown form field").contains("validation.request.body.schema.additionalProperties");
    assertThat(errorKeys(apiV2010, API_PREFIX, new Captured("POST", messages, null, form, "Basic eA==", valid + "&ValidityPeriod=soon")))
        .as("text where the document wants an integer").contains("validation.request.body.schema.type");
    assertThat(errorKeys(apiV2010, API_PREFIX, new Captured("DELETE", messages, null, null, "Basic eA==", "")))
        .as("a method the path does not have").contains("validation.request.operation.notAllowed");
    assertThat(errorKeys(lookupsV2, LOOKUPS_PREFIX, new Captured("GET", LOOKUPS_PREFIX + "/v2/PhoneNumbers/%2B14155550100",
        "Fields=line_type_intelligence&Carrier=true", null, "Basic eA==", "")))
        .as("an unknown query parameter").contains("validation.request.parameter.query.unexpected");
  }

  private static Captured only(String method, String pathSuffix) {
    assertThat(captured).hasSize(1);
    Captured request = captured.get(0);
    assertThat(request.method()).isEqualTo(method);
    assertThat(request.path()).endsWith(pathSuffix);
    return request;
  }

  private static void assertConforms(OpenApiInteractionValidator validator, String sandboxPrefix, Captured request) {
    assertThat(errors(validator, sandboxPrefix, request)).as("%s %s against Twilio's OpenAPI document", request.method(), request.path()).isEmpty();
  }

  private static List<ValidationReport.Message> errors(OpenApiInteractionValidator validator, String sandboxPrefix, Captured request) {
    return validate(validator, sandboxPrefix, request).getMessages().stream()
        .filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
        .toList();
  }

  private static List<String> errorKeys(OpenApiInteractionValidator validator, String sandboxPrefix, Captured request) {
    return errors(validator, sandboxPrefix, request).stream().map(ValidationReport.Message::getKey).toList();
  }

  /** Validates the request as Twilio would have received it: the sandbox prefix stands for Twilio's host. */
  private static ValidationReport validate(OpenApiInteractionValidator validator, String sandboxPrefix, Captured request) {
    assertThat(request.path()).startsWith(sandboxPrefix);
    SimpleRequest.Builder twilioRequest = new SimpleRequest.Builder(request.method(), request.path().substring(sandboxPrefix.length()))
        .withAuthorization(request.authorization());
    if (request.contentType() != null) {
      twilioRequest.withContentType(request.contentType());
    }
    if (!request.body().isEmpty()) {
      twilioRequest.withBody(request.body());
    }
    formParams(request.rawQuery()).forEach(twilioRequest::withQueryParam);
    return validator.validateRequest(twilioRequest.build());
  }

  private static Map<String, List<String>> formParams(String encoded) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (encoded != null && !encoded.isEmpty()) {
      for (String pair : encoded.split("&")) {
        String[] nameAndValue = pair.split("=", 2);
        params.computeIfAbsent(URLDecoder.decode(nameAndValue[0], StandardCharsets.UTF_8), name -> new ArrayList<>())
            .add(nameAndValue.length == 2 ? URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8) : "");
      }
    }
    return params;
  }
}
