package com.smsgateway.sandbox;

import com.smsgateway.config.HttpUrl;
import com.smsgateway.twilio.TwilioAccount;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Twilio sandbox itself: one verticle per replica (deploy a single instance), so its in-memory state — accepted
 * messages, bought numbers, waiting faults — lives on one event loop and needs no locks. The HTTP verticles of every
 * event loop forward the sandbox's requests to it over the local event bus ({@link SandboxRoutes}) and write its
 * answers. State is bounded: this is a development and test stand-in, each replica has its own.
 *
 * <ul>
 *   <li>Messages: {@code SM…} sids, answered {@code queued}; the {@code StatusCallback} then receives signed
 *       callbacks queued → sent → delivered, {@code sandbox.callback_delay} apart. The Messages list answers
 *       them by {@code From} and {@code To}, newest first, with their current status; a fetch by sid answers one.</li>
 *   <li>AvailablePhoneNumbers US Local: {@code +1<area code>55501NN} (fictional numbers), minus those bought.</li>
 *   <li>Lookup v2 line type intelligence: the carrier follows the number's last digit ({@link FictionalCarrier}).</li>
 *   <li>Faults: the next {@code count} requests of an operation (only those about a {@code phone_number} when given)
 *       fail as asked.</li>
 *   <li>Inbound: a signed inbound SMS/MMS webhook to {@code {public_base_url}/twilio/messages}.</li>
 * </ul>
 */
public final class SandboxTwilio extends VerticleBase {
  /** Where {@link SandboxRoutes} sends the requests (local only). */
  static final String ADDRESS = "sandbox.twilio";
  static final Pattern US_NUMBER = Pattern.compile("\\+1[2-9]\\d{2}[2-9]\\d{6}");
  private static final Pattern AREA_CODE = Pattern.compile("[2-9]\\d{2}");
  private static final Pattern CONTAINS = Pattern.compile("[0-9*]{2,10}");
  private static final int AVAILABLE_PER_AREA_CODE = 20;
  private static final int MAX_PAGE_SIZE = 1000;
  private static final int MAX_BODY_CHARS = 1600;

  /** The requests the sandbox answers; {@link SandboxRoutes} names one in each message ({@code op}). */
  enum Operation {
    CREATE_MESSAGE, LIST_MESSAGES, FETCH_MESSAGE, AVAILABLE_NUMBERS, BUY_NUMBER, LIST_NUMBERS, UPDATE_NUMBER, RELEASE_NUMBER, LOOKUP,
    AUTHENTICATE, PUT_ACCOUNT, ADD_FAULT, CLEAR_FAULTS, INJECT_INBOUND
  }

  private final SandboxConfig config;
  private final URI publicBaseUrl;
  private final Counter foreignCallbacksRefused;
  private final String inboundWebhookUrl;
  private final SandboxFaults faults = new SandboxFaults();
  private final SandboxMessages messages = new SandboxMessages();
  private final SandboxAccounts accounts;
  private SandboxWebhooks webhooks;
  private MessageConsumer<JsonObject> consumer;

  /**
   * {@code platform}: the platform's account, the sandbox's first (customers' accounts are added by an admin);
   * {@code registry} counts the status callback URLs refused for not being the gateway's own.
   */
  public SandboxTwilio(SandboxConfig config, String publicBaseUrl, TwilioAccount platform, MeterRegistry registry) {
    this.accounts = new SandboxAccounts(platform);
    this.config = config;
    this.foreignCallbacksRefused = Counter.builder("gateway.sandbox.foreign_status_callbacks_refused")
        .description("Sandbox sends refused (Twilio 21609) because their StatusCallback was not the gateway's own public_base_url")
        .register(registry);
    this.publicBaseUrl = URI.create(publicBaseUrl);
    this.inboundWebhookUrl = publicBaseUrl + "/twilio/messages";
  }

  @Override
  public Future<?> start() {
    webhooks = new SandboxWebhooks(vertx, config.callbackDelay(), config.callbackConnections());
    consumer = vertx.eventBus().localConsumer(ADDRESS, this::answer);
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister();
  }

  /**
   * One forwarded request: {@code {op, account_sid, auth_token, params: {name: [values]}, path: {name: value}}} for the
   * Twilio API (answered {@code {status, body}}, Twilio's errors included), or an admin operation's fields.
   */
  private void answer(Message<JsonObject> message) {
    try {
      handle(message);
    } catch (RuntimeException e) {
      // Answered at once, so the forwarding route fails now instead of waiting for the event bus's timeout.
      message.fail(500, "The sandbox failed on " + message.body().getString("op") + ": " + e);
    }
  }

  private void handle(Message<JsonObject> message) {
    JsonObject request = message.body();
    Operation operation = Operation.valueOf(request.getString("op"));
    switch (operation) {
      case ADD_FAULT -> message.reply(new JsonObject().put("added", faults.add(SandboxFaults.Fault.fromJson(request.getJsonObject("fault")))));
      case CLEAR_FAULTS -> {
        faults.clear();
        message.reply(new JsonObject());
      }
      case AUTHENTICATE -> message.reply(new JsonObject().put("authenticated", accounts.find(request.getString("account_sid"))
          .filter(known -> MessageDigest.isEqual(known.authToken().getBytes(StandardCharsets.UTF_8),
              request.getString("auth_token", "").getBytes(StandardCharsets.UTF_8)))
          .isPresent()));
      case PUT_ACCOUNT -> message.reply(putAccount(request));
      case INJECT_INBOUND -> accounts.find(request.getString("account_sid")).ifPresentOrElse(
          account -> injectInbound(account, request)
              .onSuccess(message::reply)
              .onFailure(failure -> message.fail(502, failure.getMessage())),
          () -> message.fail(422, "unknown account"));
      default -> message.reply(twilio(operation, account(request), new TwilioRequest(request)));
    }
  }

  /** The parameters of a forwarded Twilio API request: form or query parameters, and path parameters. */
  private record TwilioRequest(JsonObject params, JsonObject path) {
    TwilioRequest(JsonObject request) {
      this(request.getJsonObject("params", new JsonObject()), request.getJsonObject("path", new JsonObject()));
    }

    String get(String name) {
      JsonArray values = params.getJsonArray(name);
      return values == null || values.isEmpty() ? null : values.getString(0);
    }

    String get(String name, String defaultValue) {
      String value = get(name);
      return value == null ? defaultValue : value;
    }

    List<String> getAll(String name) {
      JsonArray values = params.getJsonArray(name);
      List<String> all = new ArrayList<>();
      if (values != null) {
        values.forEach(value -> all.add((String) value));
      }
      return all;
    }
  }

  private static TwilioAccount account(JsonObject request) {
    return new TwilioAccount(request.getString("account_sid"), request.getString("auth_token"));
  }

  private JsonObject twilio(Operation operation, TwilioAccount account, TwilioRequest request) {
    return switch (operation) {
      case CREATE_MESSAGE -> createMessage(account, request);
      case LIST_MESSAGES -> listMessages(account, request);
      case FETCH_MESSAGE -> fetchMessage(request);
      case AVAILABLE_NUMBERS -> availableLocalNumbers(account, request);
      case BUY_NUMBER -> buyNumber(account, request);
      case LIST_NUMBERS -> listIncomingNumbers(account, request);
      case UPDATE_NUMBER -> updateIncomingNumber(account, request);
      case RELEASE_NUMBER -> releaseIncomingNumber(account, request);
      case LOOKUP -> lookup(request);
      default -> throw new IllegalArgumentException("not a Twilio API operation: " + operation);
    };
  }

  private JsonObject createMessage(TwilioAccount account, TwilioRequest form) {
    String to = form.get("To");
    String from = form.get("From");
    String body = form.get("Body");
    List<String> mediaUrls = form.getAll("MediaUrl");
    String statusCallback = form.get("StatusCallback");
    if (isBlank(to)) {
      return twilioError(400, 21604, "A 'To' phone number is required.");
    } else if (!US_NUMBER.matcher(to).matches()) {
      return twilioError(400, 21211, "The 'To' number " + to + " is not a valid phone number.");
    } else if (isBlank(from)) {
      return twilioError(400, 21603, "A 'From' phone number is required.");
    } else if (isBlank(body) && mediaUrls.isEmpty()) {
      return twilioError(400, 21602, "Message body is required.");
    } else if (body != null && body.length() > MAX_BODY_CHARS) {
      return twilioError(400, 21617, "The concatenated message body exceeds the " + MAX_BODY_CHARS + " character limit.");
    } else if (statusCallback != null && !HttpUrl.isValid(statusCallback)) {
      return twilioError(400, 21609, "The StatusCallback URL " + statusCallback + " is not a valid URL.");
    } else if (statusCallback != null && !isGatewaysOwn(statusCallback)) {
      // The sandbox runs inside the gateway: posting to any URL a caller names would make it an open request
      // forwarder (server-side request forgery). It calls back only the gateway itself, refused like Twilio would.
      foreignCallbacksRefused.increment();
      return twilioError(400, 21609, "The StatusCallback URL " + statusCallback + " is not this gateway's ("
          + publicBaseUrl + "); the sandbox calls back only the gateway it runs in.");
    }
    Optional<JsonObject> fault = fault(SandboxFaults.Operation.SEND, to);
    if (fault.isPresent()) {
      return fault.get();
    }
    String sid = SandboxTwilioJson.sid("SM");
    JsonObject message = SandboxTwilioJson.queuedMessage(account, sid, from, to, body, mediaUrls.size(), segments(body));
    messages.add(message);
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
    return answer(201, message);
  }

  /** Same scheme, host and port as {@code public_base_url} (default ports filled in), no user info, a path below its path. */
  private boolean isGatewaysOwn(String url) {
    URI callback;
    try {
      callback = new URI(url).normalize();
    } catch (URISyntaxException e) {
      return false;
    }
    String basePath = publicBaseUrl.getPath() == null ? "" : publicBaseUrl.getPath().replaceAll("/+$", "");
    return publicBaseUrl.getScheme().equalsIgnoreCase(callback.getScheme())
        && publicBaseUrl.getHost().equalsIgnoreCase(callback.getHost())
        && port(publicBaseUrl) == port(callback)
        && callback.getRawUserInfo() == null
        && callback.getPath() != null && callback.getPath().startsWith(basePath + "/");
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /** Twilio's Messages list, filtered by {@code From} and {@code To}, newest first, one page of {@code PageSize}. */
  private JsonObject listMessages(TwilioAccount account, TwilioRequest query) {
    String pageSize = query.get("PageSize", "50");
    if (!pageSize.matches("\\d{1,4}") || Integer.parseInt(pageSize) < 1 || Integer.parseInt(pageSize) > 1000) {
      return twilioError(400, 20001, "PageSize must be from 1 to 1000.");
    }
    return answer(200, SandboxTwilioJson.messagesPage(account,
        messages.list(query.get("From"), query.get("To"), Integer.parseInt(pageSize))));
  }

  /** Twilio's Message fetch: the message with its current status, or Twilio's 404 for a sid it does not have. */
  private JsonObject fetchMessage(TwilioRequest request) {
    return messages.find(request.path().getString("sid"))
        .map(message -> answer(200, message))
        .orElseGet(() -> notFound(request));
  }

  /** AvailablePhoneNumbers US Local: {@code AreaCode}, {@code Contains} (digits, {@code *} for any one) and {@code PageSize}. */
  private JsonObject availableLocalNumbers(TwilioAccount account, TwilioRequest query) {
    String areaCode = query.get("AreaCode", "415");
    String contains = query.get("Contains");
    int pageSize = pageSize(query);
    if (!AREA_CODE.matcher(areaCode).matches()) {
      return twilioError(400, 21421, "AreaCode " + areaCode + " is not a valid US area code.");
    } else if (contains != null && !CONTAINS.matcher(contains).matches()) {
      return twilioError(400, 21421, "Contains " + contains + " must be 2 to 10 digits or *.");
    } else if (pageSize < 0) {
      return twilioError(400, 20001, "PageSize must be from 1 to " + MAX_PAGE_SIZE + ".");
    }
    Pattern digits = contains == null ? null : Pattern.compile(contains.replace("*", "\\d"));
    return fault(SandboxFaults.Operation.AVAILABLE_NUMBERS, null).orElseGet(() -> answer(200,
        SandboxTwilioJson.availableNumbersPage(account, accounts.available(areaCode, digits, Math.min(pageSize, AVAILABLE_PER_AREA_CODE)))));
  }

  /** The request's {@code PageSize} (default 50), or -1 when it is not one. */
  private static int pageSize(TwilioRequest query) {
    String pageSize = query.get("PageSize", "50");
    if (!pageSize.matches("\\d{1,4}") || Integer.parseInt(pageSize) < 1 || Integer.parseInt(pageSize) > MAX_PAGE_SIZE) {
      return -1;
    }
    return Integer.parseInt(pageSize);
  }

  /** IncomingPhoneNumbers create: buys a number the sandbox offers; one it does not (any more) is Twilio's 21422. */
  private JsonObject buyNumber(TwilioAccount account, TwilioRequest form) {
    String phoneNumber = form.get("PhoneNumber");
    String smsUrl = form.get("SmsUrl");
    String statusCallback = form.get("StatusCallback");
    if (phoneNumber == null || !US_NUMBER.matcher(phoneNumber).matches()) {
      return twilioError(400, 21421, "PhoneNumber " + phoneNumber + " is invalid.");
    } else if (smsUrl != null && !HttpUrl.isValid(smsUrl)) {
      return twilioError(400, 21502, "SmsUrl " + smsUrl + " is not a valid URL.");
    } else if (statusCallback != null && !HttpUrl.isValid(statusCallback)) {
      return twilioError(400, 21609, "StatusCallback " + statusCallback + " is not a valid URL.");
    }
    return fault(SandboxFaults.Operation.BUY_NUMBER, phoneNumber).orElseGet(() ->
        accounts.buy(account.accountSid(), phoneNumber, smsUrl, form.get("SmsMethod", "POST"), statusCallback)
            .map(bought -> answer(201, SandboxTwilioJson.incomingNumber(account, bought)))
            .orElseGet(() -> twilioError(400, 21422, "PhoneNumber " + phoneNumber + " is not available.")));
  }

  /** IncomingPhoneNumbers list, filtered by {@code PhoneNumber} when given. */
  private JsonObject listIncomingNumbers(TwilioAccount account, TwilioRequest query) {
    int pageSize = pageSize(query);
    if (pageSize < 0) {
      return twilioError(400, 20001, "PageSize must be from 1 to " + MAX_PAGE_SIZE + ".");
    }
    List<SandboxAccounts.Number> numbers = accounts.numbers(account.accountSid(), query.get("PhoneNumber"));
    return answer(200, SandboxTwilioJson.incomingNumbersPage(account, numbers.subList(0, Math.min(numbers.size(), pageSize))));
  }

  /** IncomingPhoneNumber update: {@code SmsUrl} (empty clears it) and {@code SmsMethod}. */
  private JsonObject updateIncomingNumber(TwilioAccount account, TwilioRequest form) {
    String smsUrl = form.get("SmsUrl");
    if (smsUrl != null && !smsUrl.isEmpty() && !HttpUrl.isValid(smsUrl)) {
      return twilioError(400, 21502, "SmsUrl " + smsUrl + " is not a valid URL.");
    }
    String sid = form.path().getString("sid");
    return accounts.numbers(account.accountSid(), null).stream()
        .filter(number -> number.sid().equals(sid)).findFirst()
        .flatMap(number -> accounts.updateSmsUrl(account.accountSid(), sid,
            smsUrl == null ? number.smsUrl() : (smsUrl.isEmpty() ? null : smsUrl), form.get("SmsMethod")))
        .map(updated -> answer(200, SandboxTwilioJson.incomingNumber(account, updated)))
        .orElseGet(() -> notFound(form));
  }

  private JsonObject releaseIncomingNumber(TwilioAccount account, TwilioRequest request) {
    return accounts.release(account.accountSid(), request.path().getString("sid"))
        ? new JsonObject().put("status", 204)
        : notFound(request);
  }

  /** A customer's account with its numbers ({@code sms_capable}: number → boolean); answers its numbers, or none when refused. */
  private JsonObject putAccount(JsonObject request) {
    Map<String, Boolean> smsCapable = new LinkedHashMap<>();
    request.getJsonObject("sms_capable").forEach(entry -> smsCapable.put(entry.getKey(), (Boolean) entry.getValue()));
    String accountSid = request.getString("account_sid");
    if (!accounts.put(new TwilioAccount(accountSid, request.getString("auth_token")), smsCapable)) {
      return new JsonObject();
    }
    JsonArray listed = new JsonArray();
    accounts.numbers(accountSid, null).forEach(number -> listed.add(new JsonObject()
        .put("phone_number", number.phoneNumber()).put("sid", number.sid()).put("sms_capable", number.smsCapable())));
    return new JsonObject().put("phone_numbers", listed);
  }

  private JsonObject lookup(TwilioRequest request) {
    String phoneNumber = request.path().getString("number");
    boolean lineTypeAsked = List.of(request.get("Fields", "").split(",")).contains("line_type_intelligence");
    return fault(SandboxFaults.Operation.LOOKUP, phoneNumber).orElseGet(() -> {
      boolean valid = US_NUMBER.matcher(phoneNumber).matches();
      return answer(200, SandboxTwilioJson.lookup(phoneNumber, valid, valid && lineTypeAsked ? FictionalCarrier.of(phoneNumber) : null));
    });
  }

  /** Twilio's error for the first waiting fault that applies to this request, counted as used. */
  private Optional<JsonObject> fault(SandboxFaults.Operation operation, String phoneNumber) {
    return faults.take(operation, phoneNumber).map(f -> twilioError(f.status(), f.twilioCode(), f.message()));
  }

  private static JsonObject notFound(TwilioRequest request) {
    return twilioError(404, 20404, "The requested resource " + request.path().getString("request_path") + " was not found");
  }

  static JsonObject twilioError(int status, int code, String message) {
    return answer(status, SandboxTwilioJson.error(status, code, message));
  }

  private static JsonObject answer(int status, JsonObject body) {
    return new JsonObject().put("status", status).put("body", body);
  }

  private Future<JsonObject> injectInbound(TwilioAccount account, JsonObject request) {
    String sid = SandboxTwilioJson.sid("SM");
    List<String> mediaUrls = new ArrayList<>();
    request.getJsonArray("media_urls", new JsonArray()).forEach(url -> mediaUrls.add((String) url));
    String text = request.getString("body");
    return webhooks.postSigned(account, inboundWebhookUrl,
            inboundParams(account, sid, request.getString("from"), request.getString("to"), text == null ? "" : text, mediaUrls))
        .recover(failure -> Future.failedFuture(
            "The inbound webhook " + inboundWebhookUrl + " could not be reached: " + failure.getMessage()))
        .map(response -> new JsonObject().put("message_sid", sid).put("webhook_status", response.statusCode()));
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

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
