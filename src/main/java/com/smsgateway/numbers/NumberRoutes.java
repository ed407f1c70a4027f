package com.smsgateway.numbers;

import com.smsgateway.auth.Principal;
import com.smsgateway.domain.DomainFailure;
import com.smsgateway.http.Json;
import com.smsgateway.http.Routes;
import com.smsgateway.webhooks.WebhookSecrets;
import com.smsgateway.webhooks.WebhookUrlGuard;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Numbers over HTTP (DESIGN.md §8):
 * <ul>
 *   <li>{@code GET /v1/available-numbers?area_code=&contains=&limit=}: US local SMS-capable numbers for sale.</li>
 *   <li>{@code POST /v1/sms-numbers {phone_number | area_code, workspace_id, agent_id}}: buys a platform number.</li>
 *   <li>{@code POST /v1/sms-numbers/byo}: registers the customer's own Twilio number.</li>
 *   <li>{@code GET /v1/sms-numbers?workspace_id=&type=&limit=&cursor=}, {@code GET}, {@code PATCH},
 *       {@code DELETE /v1/sms-numbers/{phone_number}}: workspace-scoped.</li>
 *   <li>{@code PUT /v1/sms-numbers/{phone_number}} (admin): imports an existing number with its {@code sms_status}
 *       (numbers bought elsewhere, migrations); buying and BYO registration are the customer's ways in.</li>
 *   <li>The SMS-approved pool ({@code /v1/pool-numbers}, admin only).</li>
 * </ul>
 */
public final class NumberRoutes implements Routes {
  private static final String PHONE_NUMBER = "phone_number";
  private static final Pattern AREA_CODE = Pattern.compile("[2-9]\\d{2}");
  private static final Pattern CONTAINS = Pattern.compile("[0-9*]{2,10}");
  private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-fA-F]{32}");
  private static final int DEFAULT_AVAILABLE_LIMIT = 20;
  private static final int MAX_AVAILABLE_LIMIT = 50;
  private static final int DEFAULT_LIST_LIMIT = 50;
  private static final int MAX_LIST_LIMIT = 200;
  private static final int MIN_END_AFTER_SILENCE = 120;
  private static final int MAX_END_AFTER_SILENCE = 259_200;
  private static final int MAX_TEXT_FIELD = 1600;
  private static final int MAX_ID_LENGTH = 128;
  private static final int MAX_AUTH_TOKEN_LENGTH = 128;
  private static final Set<String> PATCHABLE = Set.of("agent_id", "chat_agent_id", "inbound_webhook_url", "end_after_silence", "auto_close_message");

  private final SmsNumberStore numbers;
  private final NumberService service;
  private final NumberMetrics metrics;
  private final Set<String> brandTiers;
  private static final int MAX_WEBHOOK_URL = 2048;
  private final WebhookUrlGuard webhookUrls;
  private final WebhookSecrets webhookSecrets;

  NumberRoutes(SmsNumberStore numbers, NumberService service, NumberMetrics metrics, Set<String> brandTiers, WebhookUrlGuard webhookUrls,
               WebhookSecrets webhookSecrets) {
    this.numbers = numbers;
    this.service = service;
    this.metrics = metrics;
    this.brandTiers = brandTiers;
    this.webhookUrls = webhookUrls;
    this.webhookSecrets = webhookSecrets;
  }

  @Override
  public void mount(Router router) {
    router.get("/v1/available-numbers").handler(this::availableNumbers);
    router.post("/v1/sms-numbers").consumes("application/json").handler(this::buyNumber);
    router.post("/v1/sms-numbers/byo").consumes("application/json").handler(this::bringYourOwn);
    router.get("/v1/sms-numbers").handler(this::listNumbers);
    router.put("/v1/sms-numbers/:phone_number").consumes("application/json").handler(this::putAgentNumber);
    router.get("/v1/sms-numbers/:phone_number").handler(this::getNumber);
    router.patch("/v1/sms-numbers/:phone_number").consumes("application/json").handler(this::patchNumber);
    router.delete("/v1/sms-numbers/:phone_number").handler(this::deleteNumber);
    router.post("/v1/pool-numbers").consumes("application/json").handler(this::addPoolNumber);
    router.get("/v1/pool-numbers").handler(this::listPoolNumbers);
    router.delete("/v1/pool-numbers/:phone_number").handler(this::deletePoolNumber);
  }

  private void availableNumbers(RoutingContext ctx) {
    Principal.of(ctx);
    int areaCode = areaCode(ctx.request().getParam("area_code"));
    String contains = ctx.request().getParam("contains");
    if (contains != null && !CONTAINS.matcher(contains).matches()) {
      throw DomainFailure.invalidField("contains", "must be 2 to 10 digits, * standing for any digit");
    }
    int limit = queryInt(ctx, "limit", DEFAULT_AVAILABLE_LIMIT, 1, MAX_AVAILABLE_LIMIT);
    service.available(areaCode, contains, limit)
        .onSuccess(available -> Json.respond(ctx, 200, new JsonObject().put("available_numbers", new JsonArray(available.stream()
            .map(number -> new JsonObject()
                .put("phone_number", number.phoneNumber())
                .put("friendly_name", number.friendlyName())
                .put("locality", number.locality())
                .put("region", number.region())
                .put("iso_country", "US"))
            .toList()))))
        .onFailure(ctx::fail);
  }

  private static int areaCode(String value) {
    if (value == null || !AREA_CODE.matcher(value).matches()) {
      throw DomainFailure.invalidField("area_code", "must be a 3-digit US area code not starting with 0 or 1, e.g. 415");
    }
    return Integer.parseInt(value);
  }

  private void buyNumber(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    JsonObject body = Json.body(ctx);
    String workspaceId = principal.actingWorkspace(Json.optionalString(body, "workspace_id"));
    String agentId = optionalId(body, "agent_id");
    boolean byNumber = body.getValue(PHONE_NUMBER) != null;
    boolean byAreaCode = body.getValue("area_code") != null;
    if (byNumber == byAreaCode) {
      throw DomainFailure.invalidField(byNumber ? "area_code" : PHONE_NUMBER, "give exactly one of phone_number and area_code");
    }
    Future<SmsNumber> bought = byNumber
        ? service.buy(PhoneNumbers.requiredUs(body, PHONE_NUMBER), workspaceId, agentId)
        : service.buyInAreaCode(areaCode(areaCodeText(body.getValue("area_code"))), workspaceId, agentId);
    bought.onSuccess(number -> Json.respond(ctx, 201, number.toJson())).onFailure(ctx::fail);
  }

  /** An area code may come as "415" or 415. */
  private static String areaCodeText(Object value) {
    return value instanceof Integer number ? Integer.toString(number) : value instanceof String text ? text : "";
  }

  private void bringYourOwn(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    JsonObject body = Json.body(ctx);
    String provider = Json.optionalString(body, "provider");
    if (provider != null && !provider.toLowerCase(Locale.ROOT).equals("twilio")) {
      throw DomainFailure.invalid("provider_not_supported",
          "Provider '" + provider + "' is not supported: only Twilio is supported for bring-your-own numbers.", "provider");
    }
    String phoneNumber = PhoneNumbers.requiredUs(body, PHONE_NUMBER);
    String workspaceId = principal.actingWorkspace(Json.optionalString(body, "workspace_id"));
    String accountSid = Json.requiredString(body, "account_sid");
    if (!ACCOUNT_SID.matcher(accountSid).matches()) {
      throw DomainFailure.invalidField("account_sid", "must be a Twilio Account SID: 'AC' followed by 32 hex digits");
    }
    String authToken = Json.requiredString(body, "auth_token");
    if (authToken.length() > MAX_AUTH_TOKEN_LENGTH) {
      throw DomainFailure.invalidField("auth_token", "must be at most " + MAX_AUTH_TOKEN_LENGTH + " characters");
    }
    String brandTier = Optional.ofNullable(Json.optionalString(body, "brand_tier")).orElse("low_volume");
    if (!brandTiers.contains(brandTier)) {
      throw DomainFailure.invalidField("brand_tier", "must be one of " + brandTiers.stream().sorted().toList());
    }
    service.bringYourOwn(new NumberService.ByoRequest(phoneNumber, accountSid, authToken, workspaceId, optionalId(body, "agent_id"), brandTier))
        .onSuccess(registered -> Json.respond(ctx, registered.created() ? 201 : 200, registered.number().toJson()))
        .onFailure(ctx::fail);
  }

  private void listNumbers(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    Optional<String> workspace = principal.workspaceFilter(ctx.request().getParam("workspace_id"));
    String typeParam = ctx.request().getParam("type");
    Optional<NumberType> type = Optional.ofNullable(typeParam).map(value -> switch (value) {
      case "platform" -> NumberType.PLATFORM;
      case "byo_twilio" -> NumberType.BYO_TWILIO;
      case "pool" -> NumberType.POOL;
      default -> throw DomainFailure.invalidField("type", "must be platform, byo_twilio or pool");
    });
    int limit = queryInt(ctx, "limit", DEFAULT_LIST_LIMIT, 1, MAX_LIST_LIMIT);
    Optional<String> after = Optional.ofNullable(ctx.request().getParam("cursor")).map(NumberRoutes::decodeCursor);
    numbers.list(workspace, type, after, limit + 1)
        .onSuccess(found -> {
          List<SmsNumber> page = found.subList(0, Math.min(limit, found.size()));
          String next = found.size() > limit ? encodeCursor(page.get(page.size() - 1).phoneNumber()) : null;
          Json.respond(ctx, 200, new JsonObject()
              .put("sms_numbers", new JsonArray(page.stream().map(SmsNumber::toJson).toList()))
              .put("next_cursor", next));
        })
        .onFailure(ctx::fail);
  }

  private static String encodeCursor(String phoneNumber) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(phoneNumber.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeCursor(String cursor) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (decoded.matches("\\+\\d{1,15}")) {
        return decoded;
      }
    } catch (IllegalArgumentException e) {
      // answered below
    }
    throw DomainFailure.invalidField("cursor", "is not a cursor this list returned (next_cursor)");
  }

  private void getNumber(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    String phoneNumber = PhoneNumbers.requireUs(PHONE_NUMBER, ctx.pathParam(PHONE_NUMBER));
    visibleNumber(principal, phoneNumber)
        .onSuccess(number -> Json.respond(ctx, 200, number.toJson()))
        .onFailure(ctx::fail);
  }

  private Future<SmsNumber> visibleNumber(Principal principal, String phoneNumber) {
    String what = "Number " + phoneNumber;
    return numbers.find(phoneNumber).map(found -> {
      SmsNumber number = found.orElseThrow(() -> DomainFailure.notFound(what));
      if (!principal.canAccess(number.workspaceId())) {
        throw DomainFailure.notFound(what);
      }
      return number;
    });
  }

  /** {@code {agent_id, chat_agent_id, inbound_webhook_url, end_after_silence, auto_close_message}}: given fields change, null detaches. */
  private void patchNumber(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    String phoneNumber = PhoneNumbers.requireUs(PHONE_NUMBER, ctx.pathParam(PHONE_NUMBER));
    JsonObject body = Json.body(ctx);
    for (String field : body.fieldNames()) {
      if (!PATCHABLE.contains(field)) {
        throw DomainFailure.invalidField(field, "cannot be changed here; PATCH takes " + PATCHABLE.stream().sorted().toList());
      }
    }
    SmsNumberStore.Changes changes = new SmsNumberStore.Changes(
        idChange(body, "agent_id"),
        idChange(body, "chat_agent_id"),
        change(body, "inbound_webhook_url", NumberRoutes::webhookUrl),
        change(body, "end_after_silence", NumberRoutes::endAfterSilence),
        change(body, "auto_close_message", value -> text(value, "auto_close_message")));
    visibleNumber(principal, phoneNumber)
        .compose(number -> {
          if (number.type() == NumberType.POOL) {
            return Future.failedFuture(DomainFailure.conflict("pool_number", phoneNumber + " is a pool number; pool numbers have no agent or chat settings."));
          }
          return checkWebhookUrl(changes.inboundWebhookUrl()).compose(checked -> numbers.update(phoneNumber, changes));
        })
        .map(updated -> updated.orElseThrow(() -> DomainFailure.notFound("Number " + phoneNumber)))
        .onSuccess(updated -> NumberChanges.announce(ctx.vertx(), phoneNumber))
        .compose(this::withWebhookSigning)
        .onSuccess(number -> Json.respond(ctx, 200, number))
        .onFailure(ctx::fail);
  }

  /** The SSRF guard at set time (https, and in live mode only public addresses); checked again at each call. */
  private Future<Void> checkWebhookUrl(Optional<Optional<String>> change) {
    return change.flatMap(url -> url).map(url -> webhookUrls.check("inbound_webhook_url", url).<Void>mapEmpty())
        .orElseGet(Future::succeededFuture);
  }

  /** With an inbound webhook, whether it will be signed: it goes unsigned until the workspace has a webhook secret. */
  private Future<JsonObject> withWebhookSigning(SmsNumber number) {
    JsonObject json = number.toJson();
    if (number.inboundWebhookUrl() == null || number.workspaceId() == null) {
      return Future.succeededFuture(json);
    }
    return webhookSecrets.find(number.workspaceId()).map(secret -> json.put("inbound_webhook_signed", secret.isPresent()));
  }

  private static Optional<Optional<String>> idChange(JsonObject body, String field) {
    return change(body, field, value -> {
      if (!(value instanceof String id) || id.isBlank() || id.length() > MAX_ID_LENGTH) {
        throw DomainFailure.invalidField(field, "must be a non-empty string of at most " + MAX_ID_LENGTH + " characters, or null to detach");
      }
      return id;
    });
  }

  /** Absent: unchanged; null: cleared; a value: validated by {@code parse}. */
  private static <T> Optional<Optional<T>> change(JsonObject body, String field, java.util.function.Function<Object, T> parse) {
    if (!body.containsKey(field)) {
      return Optional.empty();
    }
    Object value = body.getValue(field);
    return Optional.of(value == null ? Optional.empty() : Optional.of(parse.apply(value)));
  }

  private static Integer endAfterSilence(Object value) {
    if (!(value instanceof Integer seconds) || seconds < MIN_END_AFTER_SILENCE || seconds > MAX_END_AFTER_SILENCE) {
      throw DomainFailure.invalidField("end_after_silence",
          "must be whole seconds from " + MIN_END_AFTER_SILENCE + " (2 min) to " + MAX_END_AFTER_SILENCE + " (72 h), or null for the default");
    }
    return seconds;
  }

  private static String text(Object value, String field) {
    if (!(value instanceof String text) || text.isBlank() || text.length() > MAX_TEXT_FIELD) {
      throw DomainFailure.invalidField(field, "must be a non-empty string of at most " + MAX_TEXT_FIELD + " characters, or null");
    }
    return text;
  }

  /** A URL string; what it may point to is {@link WebhookUrlGuard}'s to say. */
  private static String webhookUrl(Object value) {
    if (!(value instanceof String text) || text.isBlank() || text.length() > MAX_WEBHOOK_URL) {
      throw DomainFailure.invalidField("inbound_webhook_url", "must be an absolute https URL of at most " + MAX_WEBHOOK_URL
          + " characters, or null to detach");
    }
    return text;
  }

  private void deleteNumber(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    String phoneNumber = PhoneNumbers.requireUs(PHONE_NUMBER, ctx.pathParam(PHONE_NUMBER));
    visibleNumber(principal, phoneNumber)
        .compose(number -> number.type() == NumberType.POOL
            ? Future.failedFuture(DomainFailure.conflict("pool_number", phoneNumber + " is a pool number; DELETE /v1/pool-numbers/" + phoneNumber + " removes it."))
            : service.delete(number))
        .onSuccess(deleted -> {
          NumberChanges.announce(ctx.vertx(), phoneNumber);
          ctx.response().setStatusCode(204).end();
        })
        .onFailure(ctx::fail);
  }

  /** Admin import of an existing number (bought elsewhere) with its status; customers buy or bring numbers instead. */
  private void putAgentNumber(RoutingContext ctx) {
    Principal.of(ctx).requireAdmin();
    String phoneNumber = PhoneNumbers.requireUs(PHONE_NUMBER, ctx.pathParam(PHONE_NUMBER));
    JsonObject body = Json.body(ctx);
    NumberType type = switch (Json.requiredString(body, "type")) {
      case "platform" -> NumberType.PLATFORM;
      case "byo_twilio" -> NumberType.BYO_TWILIO;
      case "pool" -> throw DomainFailure.invalidField("type", "cannot be 'pool' here; add pool numbers with POST /v1/pool-numbers");
      default -> throw DomainFailure.invalidField("type", "must be 'platform' or 'byo_twilio'");
    };
    String workspaceId = Json.requiredString(body, "workspace_id");
    String agentId = Json.optionalString(body, "agent_id");
    String accountSid = Json.optionalString(body, "account_sid");
    SmsStatus smsStatus = smsStatus(Json.optionalString(body, "sms_status"), type);
    numbers.putAgentNumber(phoneNumber, type, workspaceId, agentId, accountSid, smsStatus)
        .map(put -> put.orElseThrow(() -> DomainFailure.conflict("pool_number",
            phoneNumber + " is a pool number; DELETE /v1/pool-numbers/" + phoneNumber + " before registering it to an agent.")))
        .onSuccess(put -> {
          NumberChanges.announce(ctx.vertx(), phoneNumber);
          if (put.created()) {
            metrics.imported(type);
          }
          Json.respond(ctx, put.created() ? 201 : 200, put.number().toJson());
        })
        .onFailure(ctx::fail);
  }

  /** Absent: a platform number starts unregistered, a customer's own Twilio number starts enabled. */
  private static SmsStatus smsStatus(String value, NumberType type) {
    if (value == null) {
      return type == NumberType.BYO_TWILIO ? SmsStatus.ENABLED : SmsStatus.A2P_REQUIRED;
    }
    try {
      return SmsStatus.fromWire(value);
    } catch (IllegalArgumentException e) {
      throw DomainFailure.invalidField("sms_status", "must be one of a2p_required, a2p_pending, enabled, suspended");
    }
  }

  private void addPoolNumber(RoutingContext ctx) {
    Principal.of(ctx).requireAdmin();
    String phoneNumber = PhoneNumbers.requiredUs(Json.body(ctx), PHONE_NUMBER);
    numbers.addPoolNumber(phoneNumber)
        .map(added -> added.orElseThrow(() -> DomainFailure.conflict("number_exists",
            phoneNumber + " is already a pool or agent number; DELETE /v1/pool-numbers/" + phoneNumber + " first to re-add it.")))
        .onSuccess(added -> {
          metrics.imported(NumberType.POOL);
          Json.respond(ctx, 201, added.toJson());
        })
        .onFailure(ctx::fail);
  }

  private void listPoolNumbers(RoutingContext ctx) {
    Principal.of(ctx).requireAdmin();
    numbers.poolNumbers()
        .onSuccess(pool -> Json.respond(ctx, 200, new JsonObject().put("pool_numbers", pool.stream().map(SmsNumber::toJson).toList())))
        .onFailure(ctx::fail);
  }

  private void deletePoolNumber(RoutingContext ctx) {
    Principal.of(ctx).requireAdmin();
    String phoneNumber = PhoneNumbers.requireUs(PHONE_NUMBER, ctx.pathParam(PHONE_NUMBER));
    service.deletePoolNumber(phoneNumber)
        .onSuccess(deleted -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }


  private static String optionalId(JsonObject body, String field) {
    String value = Json.optionalString(body, field);
    if (value != null && (value.isBlank() || value.length() > MAX_ID_LENGTH)) {
      throw DomainFailure.invalidField(field, "must be a non-empty string of at most " + MAX_ID_LENGTH + " characters");
    }
    return value;
  }

  private static int queryInt(RoutingContext ctx, String name, int defaultValue, int min, int max) {
    String value = ctx.request().getParam(name);
    if (value == null) {
      return defaultValue;
    }
    if (!value.matches("\\d{1,6}") || Integer.parseInt(value) < min || Integer.parseInt(value) > max) {
      throw DomainFailure.invalidField(name, "must be an integer from " + min + " to " + max);
    }
    return Integer.parseInt(value);
  }
}
