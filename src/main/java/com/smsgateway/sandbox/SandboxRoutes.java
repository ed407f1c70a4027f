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
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The sandbox's HTTP face, mounted under {@link TwilioConfig#SANDBOX_PATH} in sandbox mode only (DESIGN.md §5), plus
 * admin routes to inject faults and inbound texts. It authenticates and reads each request on the event loop that
 * received it, then forwards it to the one {@link SandboxTwilio} verticle over the local event bus and writes its
 * answer. The Twilio routes take HTTP basic auth with a known account's SID and auth token and answer like Twilio,
 * errors included ({@code {"code", "message", "more_info", "status"}}).
 *
 * <ul>
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
  private static final int MAX_MEDIA = 10;

  private final TwilioAccounts accounts;
  private final Handler<RoutingContext> apiAuth;

  /** {@code apiAuth} resolves the bearer API key of the admin routes (they are outside {@code /v1}). */
  public SandboxRoutes(TwilioAccounts accounts, Handler<RoutingContext> apiAuth) {
    this.accounts = accounts;
    this.apiAuth = apiAuth;
  }

  @Override
  public void mount(Router router) {
    router.route(TwilioConfig.SANDBOX_PATH + "/*").handler(this::authenticateAccount);
    router.route(ACCOUNT_PATH + "/*").handler(this::requireOwnAccount);
    router.post(ACCOUNT_PATH + "/Messages.json").handler(ctx -> forward(ctx, SandboxTwilio.Operation.CREATE_MESSAGE));
    router.get(ACCOUNT_PATH + "/Messages.json").handler(ctx -> forward(ctx, SandboxTwilio.Operation.LIST_MESSAGES));
    router.get(ACCOUNT_PATH + "/Messages/:sid.json").handler(ctx -> forward(ctx, SandboxTwilio.Operation.FETCH_MESSAGE));
    router.get(ACCOUNT_PATH + "/AvailablePhoneNumbers/US/Local.json").handler(ctx -> forward(ctx, SandboxTwilio.Operation.AVAILABLE_NUMBERS));
    router.post(ACCOUNT_PATH + "/IncomingPhoneNumbers.json").handler(ctx -> forward(ctx, SandboxTwilio.Operation.BUY_NUMBER));
    router.get(ACCOUNT_PATH + "/IncomingPhoneNumbers.json").handler(ctx -> forward(ctx, SandboxTwilio.Operation.LIST_NUMBERS));
    router.post(ACCOUNT_PATH + "/IncomingPhoneNumbers/:sid.json").handler(ctx -> forward(ctx, SandboxTwilio.Operation.UPDATE_NUMBER));
    router.delete(ACCOUNT_PATH + "/IncomingPhoneNumbers/:sid.json").handler(ctx -> forward(ctx, SandboxTwilio.Operation.RELEASE_NUMBER));
    router.get(ACCOUNT_PATH + ".json").handler(this::fetchAccount);
    router.get(TwilioConfig.SANDBOX_PATH + "/lookups/v2/PhoneNumbers/:number").handler(ctx -> forward(ctx, SandboxTwilio.Operation.LOOKUP));

    router.route("/sandbox/faults").handler(apiAuth);
    router.post("/sandbox/faults").handler(this::addFault);
    router.delete("/sandbox/faults").handler(this::clearFaults);
    router.route("/sandbox/inbound").handler(apiAuth);
    router.post("/sandbox/inbound").handler(this::injectInbound);
    router.route("/sandbox/accounts").handler(apiAuth);
    router.post("/sandbox/accounts").consumes("application/json").handler(this::putAccount);
  }

  /** HTTP basic auth with a known account's SID and auth token, as Twilio's API takes it. */
  private void authenticateAccount(RoutingContext ctx) {
    Optional<String[]> credentials = basicCredentials(ctx.request().getHeader("Authorization"));
    if (credentials.isEmpty()) {
      unauthenticated(ctx);
      return;
    }
    // The sandbox's own accounts (the platform's and those POST /sandbox/accounts added) are the verticle's state.
    ask(ctx, new JsonObject().put("op", SandboxTwilio.Operation.AUTHENTICATE.name())
            .put("account_sid", credentials.get()[0]).put("auth_token", credentials.get()[1]))
        .onSuccess(answer -> {
          if (answer.getBoolean("authenticated")) {
            ctx.put(ACCOUNT_KEY, new TwilioAccount(credentials.get()[0], credentials.get()[1]));
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
    write(ctx, SandboxTwilio.twilioError(401, 20003, "Authenticate"));
  }

  /** An account sees only its own resources; Twilio answers others' as not found. */
  private void requireOwnAccount(RoutingContext ctx) {
    TwilioAccount account = ctx.get(ACCOUNT_KEY);
    if (account.accountSid().equals(ctx.pathParam("accountSid"))) {
      ctx.next();
    } else {
      write(ctx, SandboxTwilio.twilioError(404, 20404, "The requested resource " + ctx.request().path() + " was not found"));
    }
  }

  /** A Twilio API request, answered by the sandbox verticle. */
  private void forward(RoutingContext ctx, SandboxTwilio.Operation operation) {
    TwilioAccount account = ctx.get(ACCOUNT_KEY);
    JsonObject path = new JsonObject().put("request_path", ctx.request().path());
    ctx.pathParams().forEach(path::put);
    JsonObject request = withAccount(operation, account)
        .put("params", params(ctx.request().method().name().equals("POST") ? ctx.request().formAttributes() : ctx.queryParams()))
        .put("path", path);
    ask(ctx, request).onSuccess(answer -> write(ctx, answer)).onFailure(ctx::fail);
  }

  private static JsonObject params(MultiMap params) {
    JsonObject json = new JsonObject();
    params.forEach(entry -> {
      JsonArray values = json.getJsonArray(entry.getKey());
      if (values == null) {
        values = new JsonArray();
        json.put(entry.getKey(), values);
      }
      values.add(entry.getValue());
    });
    return json;
  }

  private static JsonObject withAccount(SandboxTwilio.Operation operation, TwilioAccount account) {
    return new JsonObject().put("op", operation.name()).put("account_sid", account.accountSid()).put("auth_token", account.authToken());
  }

  private static Future<JsonObject> ask(RoutingContext ctx, JsonObject request) {
    return ctx.vertx().eventBus().<JsonObject>request(SandboxTwilio.ADDRESS, request).map(reply -> reply.body());
  }

  private static void write(RoutingContext ctx, JsonObject answer) {
    if (answer.getJsonObject("body") == null) {
      ctx.response().setStatusCode(answer.getInteger("status")).end();
      return;
    }
    Json.respond(ctx, answer.getInteger("status"), answer.getJsonObject("body"));
  }

  /** Account fetch: the account is active (an unknown SID or a wrong token never gets here: 401). */
  private void fetchAccount(RoutingContext ctx) {
    TwilioAccount account = ctx.get(ACCOUNT_KEY);
    if (!account.accountSid().equals(ctx.pathParam("accountSid"))) {
      write(ctx, SandboxTwilio.twilioError(404, 20404, "The requested resource " + ctx.request().path() + " was not found"));
    } else {
      Json.respond(ctx, 200, SandboxTwilioJson.account(account));
    }
  }

  /**
   * {@code POST /sandbox/accounts {account_sid, auth_token, phone_numbers: [{phone_number, sms_capable}]}} (admin):
   * a Twilio account of a customer, with the numbers it owns, for trying bring-your-own numbers. A repeat replaces it.
   */
  private void putAccount(RoutingContext ctx) {
    Principal.of(ctx).requireAdmin();
    JsonObject body = Json.body(ctx);
    String accountSid = Json.requiredString(body, "account_sid");
    if (!accountSid.matches("AC[0-9a-fA-F]{32}")) {
      throw DomainFailure.invalidField("account_sid", "must be 'AC' followed by 32 hex digits");
    }
    if (accountSid.equals(accounts.platform().accountSid())) {
      throw DomainFailure.invalidField("account_sid", "is the platform account");
    }
    String authToken = Json.requiredString(body, "auth_token");
    if (authToken.length() > 128) {
      throw DomainFailure.invalidField("auth_token", "must be at most 128 characters");
    }
    Object numbersValue = body.getValue("phone_numbers", new JsonArray());
    if (!(numbersValue instanceof JsonArray numbers) || numbers.size() > 100) {
      throw DomainFailure.invalidField("phone_numbers", "must be a list of at most 100 {phone_number, sms_capable}");
    }
    JsonObject smsCapable = new JsonObject();
    for (Object item : numbers) {
      if (!(item instanceof JsonObject number)) {
        throw DomainFailure.invalidField("phone_numbers", "must be a list of {phone_number, sms_capable}");
      }
      String phoneNumber = Json.requiredString(number, "phone_number");
      if (!SandboxTwilio.US_NUMBER.matcher(phoneNumber).matches()) {
        throw DomainFailure.invalidField("phone_numbers", "has " + phoneNumber + ", not a US number in E.164 form");
      }
      Object capable = number.getValue("sms_capable", true);
      if (!(capable instanceof Boolean)) {
        throw DomainFailure.invalidField("phone_numbers", "sms_capable must be true or false");
      }
      smsCapable.put(phoneNumber, capable);
    }
    ask(ctx, new JsonObject().put("op", SandboxTwilio.Operation.PUT_ACCOUNT.name())
            .put("account_sid", accountSid).put("auth_token", authToken).put("sms_capable", smsCapable))
        .onSuccess(answer -> {
          if (answer.getJsonArray("phone_numbers") == null) {
            ctx.fail(DomainFailure.conflict("sandbox_account_refused", "A number belongs to another sandbox account already, or the "
                + "sandbox holds " + SandboxAccounts.MAX_ACCOUNTS + " accounts."));
          } else {
            Json.respond(ctx, 201, new JsonObject().put("account_sid", accountSid).put("phone_numbers", answer.getJsonArray("phone_numbers")));
          }
        })
        .onFailure(ctx::fail);
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
    SandboxFaults.Fault fault = new SandboxFaults.Fault(operation, status, twilioCode, message, phoneNumber, count);
    ask(ctx, new JsonObject().put("op", SandboxTwilio.Operation.ADD_FAULT.name()).put("fault", fault.toJson()))
        .onSuccess(answer -> {
          if (!answer.getBoolean("added")) {
            ctx.fail(DomainFailure.conflict("too_many_faults",
                SandboxFaults.MAX_FAULTS + " faults are waiting already; DELETE /sandbox/faults clears them."));
            return;
          }
          Json.respond(ctx, 201, new JsonObject()
              .put("operation", operation.jsonName())
              .put("status", status)
              .put("twilio_code", twilioCode)
              .put("message", message)
              .put("phone_number", phoneNumber)
              .put("count", count));
        })
        .onFailure(ctx::fail);
  }

  private void clearFaults(RoutingContext ctx) {
    Principal.of(ctx).requireAdmin();
    ask(ctx, new JsonObject().put("op", SandboxTwilio.Operation.CLEAR_FAULTS.name()))
        .onSuccess(cleared -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void injectInbound(RoutingContext ctx) {
    Principal.of(ctx).requireAdmin();
    JsonObject request = Json.body(ctx);
    String from = usNumberField(request, "from");
    String to = usNumberField(request, "to");
    String text = Json.optionalString(request, "body");
    List<String> mediaUrls = mediaUrlsField(request);
    if ((text == null || text.isBlank()) && mediaUrls.isEmpty()) {
      throw DomainFailure.invalidField("body", "is required unless media_urls are given");
    }
    String accountSid = Optional.ofNullable(Json.optionalString(request, "account_sid")).orElse(accounts.platform().accountSid());
    // Signed with the token the sandbox's account has: a customer account the gateway does not know is refused there (403).
    ask(ctx, new JsonObject().put("op", SandboxTwilio.Operation.INJECT_INBOUND.name()).put("account_sid", accountSid)
            .put("from", from).put("to", to).put("body", text).put("media_urls", new JsonArray(mediaUrls)))
        .recover(failure -> Future.failedFuture(failure instanceof ReplyException refused && refused.failureCode() == 502
            ? new DomainFailure(DomainFailure.Kind.UPSTREAM_FAILED, "webhook_unreachable", refused.getMessage())
            : failure instanceof ReplyException unknown && unknown.failureCode() == 422
                ? DomainFailure.invalidField("account_sid", "is not an account of the sandbox (POST /sandbox/accounts adds one)")
                : failure))
        .onSuccess(answer -> Json.respond(ctx, 200, answer))
        .onFailure(ctx::fail);
  }

  private static String usNumberField(JsonObject body, String field) {
    String value = Json.requiredString(body, field);
    if (!SandboxTwilio.US_NUMBER.matcher(value).matches()) {
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
}
