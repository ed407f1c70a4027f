package com.smsgateway.sandbox;

import com.smsgateway.auth.Principal;
import com.smsgateway.config.HttpUrl;
import com.smsgateway.domain.DomainFailure;
import com.smsgateway.http.Json;
import com.smsgateway.http.Routes;
import com.smsgateway.twilio.TwilioAccount;
import com.smsgateway.twilio.TwilioAccounts;
import com.smsgateway.twilio.TwilioConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The Twilio sandbox: stand-ins for the Twilio endpoints the gateway calls (DESIGN.md §5), mounted under
 * {@link TwilioConfig#SANDBOX_PATH} in sandbox mode only, plus admin routes to inject faults and inbound texts.
 * The Twilio routes take HTTP basic auth with a known account's SID and auth token and answer like Twilio,
 * errors included ({@code {"code", "message", "more_info", "status"}}). State is in memory and bounded: this is
 * a development and test stand-in, each replica has its own.
 *
 * <ul>
 *   <li>Messages: {@code SM…} sids, answered {@code queued}; the {@code StatusCallback} then receives signed
 *       callbacks queued → sent → delivered, {@code sandbox.callback_delay} apart. The Messages list answers
 *       them by {@code From} and {@code To}, newest first, with their current status; a fetch by sid answers one.</li>
 *   <li>AvailablePhoneNumbers US Local: {@code +1<area code>55501NN} (fictional numbers), minus those bought.</li>
 *   <li>Lookup v2 line type intelligence: the carrier follows the number's last digit ({@link SandboxCarrier}).</li>
 *   <li>{@code POST /sandbox/faults} {@code {operation: send|available_numbers|buy_number|lookup, status,
 *       twilio_code, message?, phone_number?, count?}}: the next {@code count} (default 1) such requests — only
 *       those about {@code phone_number} when given (a send's recipient) — fail that way;
 *       {@code DELETE /sandbox/faults} clears them.</li>
 *   <li>{@code POST /sandbox/inbound} {@code {from, to, body, media_urls, account_sid?}}: a signed inbound SMS/MMS
 *       webhook to {@code {public_base_url}/twilio/messages}; answers {@code {message_sid, webhook_status}}.</li>
 * </ul>
 */
public final class SandboxRoutes implements Routes {
  private static final String ACCOUNT_KEY = "sandbox.account";
  private static final String ACCOUNT_PATH = TwilioConfig.SANDBOX_PATH + "/api/" + SandboxTwilioJson.API_VERSION + "/Accounts/:accountSid";
  private static final Pattern US_NUMBER = Pattern.compile("\\+1[2-9]\\d{2}[2-9]\\d{6}");
  private static final Pattern AREA_CODE = Pattern.compile("[2-9]\\d{2}");
  private static final int AVAILABLE_PER_AREA_CODE = 20;
  private static final int MAX_BOUGHT_NUMBERS = 10_000;
  private static final int MAX_BODY_CHARS = 1600;
  private static final int MAX_MEDIA = 10;

  private final TwilioAccounts accounts;
  private final Handler<RoutingContext> apiAuth;
  private final String inboundWebhookUrl;
  private final SandboxWebhooks webhooks;
  private final SandboxFaults faults = new SandboxFaults();
  private final SandboxMessages messages = new SandboxMessages();
  /** Bought numbers, oldest forgotten first beyond the bound. */
  private final Map<String, String> boughtNumbers = Collections.synchronizedMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > MAX_BOUGHT_NUMBERS;
    }
  });

  /** {@code apiAuth} resolves the bearer API key of the admin routes (they are outside {@code /v1}). */
  public SandboxRoutes(Vertx vertx, SandboxConfig config, TwilioAccounts accounts, String publicBaseUrl, Handler<RoutingContext> apiAuth) {
    this.accounts = accounts;
    this.apiAuth = apiAuth;
    this.inboundWebhookUrl = publicBaseUrl + "/twilio/messages";
    this.webhooks = new SandboxWebhooks(vertx, config.callbackDelay());
  }

  @Override
  public void mount(Router router) {
    router.route(TwilioConfig.SANDBOX_PATH + "/*").handler(this::authenticateAccount);
    router.route(ACCOUNT_PATH + "/*").handler(this::requireOwnAccount);
    router.post(ACCOUNT_PATH + "/Messages.json").handler(this::createMessage);
    router.get(ACCOUNT_PATH + "/Messages.json").handler(this::listMessages);
    router.get(ACCOUNT_PATH + "/Messages/:sid.json").handler(this::fetchMessage);
    router.get(ACCOUNT_PATH + "/AvailablePhoneNumbers/US/Local.json").handler(this::availableLocalNumbers);
    router.post(ACCOUNT_PATH + "/IncomingPhoneNumbers.json").handler(this::buyNumber);
    router.get(TwilioConfig.SANDBOX_PATH + "/lookups/v2/PhoneNumbers/:number").handler(this::lookup);

    router.route("/sandbox/faults").handler(apiAuth);
    router.post("/sandbox/faults").handler(this::addFault);
    router.delete("/sandbox/faults").handler(this::clearFaults);
    router.route("/sandbox/inbound").handler(apiAuth);
    router.post("/sandbox/inbound").handler(this::injectInbound);
  }

  /** HTTP basic auth with a known account's SID and auth token, as Twilio's API takes it. */
  private void authenticateAccount(RoutingContext ctx) {
    Optional<String[]> credentials = basicCredentials(ctx.request().getHeader("Authorization"));
    if (credentials.isEmpty()) {
      unauthenticated(ctx);
      return;
    }
    String sid = credentials.get()[0];
    byte[] presentedToken = credentials.get()[1].getBytes(StandardCharsets.UTF_8);
    accounts.find(sid)
        .onSuccess(account -> {
          if (account.isPresent() && MessageDigest.isEqual(account.get().authToken().getBytes(StandardCharsets.UTF_8), presentedToken)) {
            ctx.put(ACCOUNT_KEY, account.get());
            ctx.next();
          } else {
            unauthenticated(ctx);
          }
        })
        .onFailure(ctx::fail);
  }

  private static Optional<String[]> basicCredentials(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    return colon < 0 ? Optional.empty() : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
  }

  private static void unauthenticated(RoutingContext ctx) {
    ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"Twilio API\"");
    twilioError(ctx, 401, 20003, "Authenticate");
  }

  /** An account sees only its own resources; Twilio answers others' as not found. */
  private void requireOwnAccount(RoutingContext ctx) {
    TwilioAccount account = ctx.get(ACCOUNT_KEY);
    if (account.accountSid().equals(ctx.pathParam("accountSid"))) {
      ctx.next();
    } else {
      twilioError(ctx, 404, 20404, "The requested resource " + ctx.request().path() + " was not found");
    }
  }

  private void createMessage(RoutingContext ctx) {
    TwilioAccount account = ctx.get(ACCOUNT_KEY);
    MultiMap form = ctx.request().formAttributes();
    String to = form.get("To");
    String from = form.get("From");
    String body = form.get("Body");
    List<String> mediaUrls = form.getAll("MediaUrl");
    String statusCallback = form.get("StatusCallback");
    if (isBlank(to)) {
      twilioError(ctx, 400, 21604, "A 'To' phone number is required.");
    } else if (!US_NUMBER.matcher(to).matches()) {
      twilioError(ctx, 400, 21211, "The 'To' number " + to + " is not a valid phone number.");
    } else if (isBlank(from)) {
      twilioError(ctx, 400, 21603, "A 'From' phone number is required.");
    } else if (isBlank(body) && mediaUrls.isEmpty()) {
      twilioError(ctx, 400, 21602, "Message body is required.");
    } else if (body != null && body.length() > MAX_BODY_CHARS) {
      twilioError(ctx, 400, 21617, "The concatenated message body exceeds the " + MAX_BODY_CHARS + " character limit.");
    } else if (statusCallback != null && !HttpUrl.isValid(statusCallback)) {
      twilioError(ctx, 400, 21609, "The StatusCallback URL " + statusCallback + " is not a valid URL.");
    } else if (!answeredWithFault(ctx, SandboxFaults.Operation.SEND, to)) {
      String sid = SandboxTwilioJson.sid("SM");
      JsonObject message = SandboxTwilioJson.queuedMessage(account, sid, from, to, body, mediaUrls.size(), segments(body));
      messages.add(message);
      Json.respond(ctx, 201, message);
      if (statusCallback != null) {
        webhooks.reportDelivery(account, statusCallback, MultiMap.caseInsensitiveMultiMap()
            .add("MessageSid", sid)
            .add("SmsSid", sid)
            .add("AccountSid", account.accountSid())
            .add("From", from)
            .add("To", to)
            .add("ApiVersion", SandboxTwilioJson.API_VERSION),
            status -> messages.updateStatus(sid, status));
      }
    }
  }

  /** Twilio's Messages list, filtered by {@code From} and {@code To}, newest first, one page of {@code PageSize}. */
  private void listMessages(RoutingContext ctx) {
    TwilioAccount account = ctx.get(ACCOUNT_KEY);
    String pageSize = ctx.request().getParam("PageSize", "50");
    if (!pageSize.matches("\\d{1,4}") || Integer.parseInt(pageSize) < 1 || Integer.parseInt(pageSize) > 1000) {
      twilioError(ctx, 400, 20001, "PageSize must be from 1 to 1000.");
    } else {
      Json.respond(ctx, 200, SandboxTwilioJson.messagesPage(account,
          messages.list(ctx.request().getParam("From"), ctx.request().getParam("To"), Integer.parseInt(pageSize))));
    }
  }

  /** Twilio's Message fetch: the message with its current status, or Twilio's 404 for a sid it does not have. */
  private void fetchMessage(RoutingContext ctx) {
    String sid = ctx.pathParam("sid");
    messages.find(sid).ifPresentOrElse(
        message -> Json.respond(ctx, 200, message),
        () -> twilioError(ctx, 404, 20404, "The requested resource " + ctx.request().path() + " was not found"));
  }

  private void availableLocalNumbers(RoutingContext ctx) {
    TwilioAccount account = ctx.get(ACCOUNT_KEY);
    String areaCode = ctx.request().getParam("AreaCode", "415");
    if (!AREA_CODE.matcher(areaCode).matches()) {
      twilioError(ctx, 400, 21421, "AreaCode " + areaCode + " is not a valid US area code.");
    } else if (!answeredWithFault(ctx, SandboxFaults.Operation.AVAILABLE_NUMBERS, null)) {
      List<String> available = IntStream.range(0, AVAILABLE_PER_AREA_CODE)
          .mapToObj(n -> String.format(Locale.ROOT, "+1%s55501%02d", areaCode, n))
          .filter(number -> !boughtNumbers.containsKey(number))
          .toList();
      Json.respond(ctx, 200, SandboxTwilioJson.availableNumbersPage(account, available));
    }
  }

  private void buyNumber(RoutingContext ctx) {
    TwilioAccount account = ctx.get(ACCOUNT_KEY);
    MultiMap form = ctx.request().formAttributes();
    String phoneNumber = form.get("PhoneNumber");
    String smsUrl = form.get("SmsUrl");
    if (phoneNumber == null || !US_NUMBER.matcher(phoneNumber).matches()) {
      twilioError(ctx, 400, 21421, "PhoneNumber " + phoneNumber + " is invalid.");
    } else if (smsUrl != null && !HttpUrl.isValid(smsUrl)) {
      twilioError(ctx, 400, 21502, "SmsUrl " + smsUrl + " is not a valid URL.");
    } else if (!answeredWithFault(ctx, SandboxFaults.Operation.BUY_NUMBER, phoneNumber)) {
      String sid = SandboxTwilioJson.sid("PN");
      if (boughtNumbers.putIfAbsent(phoneNumber, sid) != null) {
        twilioError(ctx, 400, 21422, "PhoneNumber " + phoneNumber + " is not available.");
      } else {
        Json.respond(ctx, 201, SandboxTwilioJson.incomingNumber(account, sid, phoneNumber, smsUrl, form.get("SmsMethod") == null ? "POST" : form.get("SmsMethod")));
      }
    }
  }

  private void lookup(RoutingContext ctx) {
    String phoneNumber = ctx.pathParam("number");
    boolean lineTypeAsked = List.of(ctx.request().getParam("Fields", "").split(",")).contains("line_type_intelligence");
    if (!answeredWithFault(ctx, SandboxFaults.Operation.LOOKUP, phoneNumber)) {
      boolean valid = US_NUMBER.matcher(phoneNumber).matches();
      Json.respond(ctx, 200, SandboxTwilioJson.lookup(phoneNumber, valid, valid && lineTypeAsked ? SandboxCarrier.of(phoneNumber) : null));
    }
  }

  private boolean answeredWithFault(RoutingContext ctx, SandboxFaults.Operation operation, String phoneNumber) {
    Optional<SandboxFaults.Fault> fault = faults.take(operation, phoneNumber);
    fault.ifPresent(f -> twilioError(ctx, f.status(), f.twilioCode(), f.message()));
    return fault.isPresent();
  }

  private static void twilioError(RoutingContext ctx, int status, int code, String message) {
    Json.respond(ctx, status, SandboxTwilioJson.error(status, code, message));
  }

  private void addFault(RoutingContext ctx) {
    Principal.of(ctx).requireAdmin();
    JsonObject body = Json.body(ctx);
    String operationName = Json.requiredString(body, "operation");
    SandboxFaults.Operation operation = Arrays.stream(SandboxFaults.Operation.values())
        .filter(candidate -> candidate.jsonName().equals(operationName))
        .findFirst()
        .orElseThrow(() -> DomainFailure.invalidField("operation", "must be one of send, available_numbers, buy_number, lookup"));
    int status = integerField(body, "status", null, 400, 599);
    int twilioCode = integerField(body, "twilio_code", null, 1, 99_999);
    String message = Optional.ofNullable(Json.optionalString(body, "message")).orElse("Sandbox fault: Twilio error " + twilioCode);
    String phoneNumber = Json.optionalString(body, "phone_number");
    int count = integerField(body, "count", 1, 1, 1_000_000);
    if (!faults.add(new SandboxFaults.Fault(operation, status, twilioCode, message, phoneNumber, count))) {
      throw DomainFailure.conflict("too_many_faults", SandboxFaults.MAX_FAULTS + " faults are waiting already; DELETE /sandbox/faults clears them.");
    }
    Json.respond(ctx, 201, new JsonObject()
        .put("operation", operation.jsonName())
        .put("status", status)
        .put("twilio_code", twilioCode)
        .put("message", message)
        .put("phone_number", phoneNumber)
        .put("count", count));
  }

  private void clearFaults(RoutingContext ctx) {
    Principal.of(ctx).requireAdmin();
    faults.clear();
    ctx.response().setStatusCode(204).end();
  }

  private void injectInbound(RoutingContext ctx) {
    Principal.of(ctx).requireAdmin();
    JsonObject request = Json.body(ctx);
    String from = usNumberField(request, "from");
    String to = usNumberField(request, "to");
    String text = Json.optionalString(request, "body");
    List<String> mediaUrls = mediaUrlsField(request);
    if (isBlank(text) && mediaUrls.isEmpty()) {
      throw DomainFailure.invalidField("body", "is required unless media_urls are given");
    }
    String accountSid = Json.optionalString(request, "account_sid");
    Future<Optional<TwilioAccount>> account = accountSid == null ? Future.succeededFuture(Optional.of(accounts.platform())) : accounts.find(accountSid);
    account
        .compose(found -> found
            .map(Future::succeededFuture)
            .orElseGet(() -> Future.failedFuture(DomainFailure.invalidField("account_sid", "is not an account the gateway knows"))))
        .compose(found -> {
          String sid = SandboxTwilioJson.sid("SM");
          return webhooks.postSigned(found, inboundWebhookUrl, inboundParams(found, sid, from, to, text == null ? "" : text, mediaUrls))
              .recover(failure -> Future.failedFuture(new DomainFailure(DomainFailure.Kind.UPSTREAM_FAILED, "webhook_unreachable",
                  "The inbound webhook " + inboundWebhookUrl + " could not be reached: " + failure.getMessage())))
              .map(response -> new JsonObject().put("message_sid", sid).put("webhook_status", response.statusCode()));
        })
        .onSuccess(answer -> Json.respond(ctx, 200, answer))
        .onFailure(ctx::fail);
  }

  /** The parameters of Twilio's inbound message webhook. */
  private static MultiMap inboundParams(TwilioAccount account, String sid, String from, String to, String body, List<String> mediaUrls) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap()
        .add("ToCountry", "US").add("ToState", "").add("ToCity", "").add("ToZip", "")
        .add("FromCountry", "US").add("FromState", "").add("FromCity", "").add("FromZip", "")
        .add("SmsMessageSid", sid)
        .add("SmsSid", sid)
        .add("MessageSid", sid)
        .add("AccountSid", account.accountSid())
        .add("From", from)
        .add("To", to)
        .add("Body", body)
        .add("NumMedia", Integer.toString(mediaUrls.size()))
        .add("NumSegments", Integer.toString(segments(body)))
        .add("SmsStatus", "received")
        .add("ApiVersion", SandboxTwilioJson.API_VERSION);
    for (int i = 0; i < mediaUrls.size(); i++) {
      String contentType = URLConnection.guessContentTypeFromName(URI.create(mediaUrls.get(i)).getPath());
      params.add("MediaUrl" + i, mediaUrls.get(i)).add("MediaContentType" + i, contentType == null ? "application/octet-stream" : contentType);
    }
    return params;
  }

  /**
   * Segments of a text, roughly (ASCII counted as GSM-7: 160 alone, 153 per part; anything else as UCS-2: 70 and
   * 67). The sandbox only echoes it; the gateway counts segments itself.
   */
  private static int segments(String body) {
    if (body == null || body.isEmpty()) {
      return 1;
    }
    boolean gsm = body.chars().allMatch(c -> c < 128);
    int single = gsm ? 160 : 70;
    int perPart = gsm ? 153 : 67;
    return body.length() <= single ? 1 : (body.length() + perPart - 1) / perPart;
  }

  private static String usNumberField(JsonObject body, String field) {
    String value = Json.requiredString(body, field);
    if (!US_NUMBER.matcher(value).matches()) {
      throw DomainFailure.invalidField(field, "must be a US number in E.164 form, e.g. +14155550100");
    }
    return value;
  }

  private static List<String> mediaUrlsField(JsonObject body) {
    Object value = body.getValue("media_urls");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array) || array.size() > MAX_MEDIA
        || !array.stream().allMatch(url -> url instanceof String text && HttpUrl.isValid(text))) {
      throw DomainFailure.invalidField("media_urls", "must be a list of at most " + MAX_MEDIA + " absolute http(s) URLs");
    }
    List<String> urls = new ArrayList<>();
    array.forEach(url -> urls.add((String) url));
    return urls;
  }

  private static int integerField(JsonObject body, String field, Integer defaultValue, int min, int max) {
    Object value = body.getValue(field);
    if (value == null && defaultValue != null) {
      return defaultValue;
    }
    if (!(value instanceof Integer number) || number < min || number > max) {
      throw DomainFailure.invalidField(field, (value == null ? "is required and " : "") + "must be an integer from " + min + " to " + max);
    }
    return number;
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
