package com.smsgateway.registration;

import com.smsgateway.auth.Principal;
import com.smsgateway.domain.DomainFailure;
import com.smsgateway.http.Json;
import com.smsgateway.http.Routes;
import com.smsgateway.numbers.PhoneNumbers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Registration over HTTP: business profiles, brands, campaigns (each resubmitted when rejected), the fees ledger, and in
 * sandbox mode the admin review that stands in for the carriers' ({@code POST /v1/registrations/{kind}/{id}/review}).
 */
public final class RegistrationRoutes implements Routes {
  private static final Pattern EIN = Pattern.compile("\\d{2}-\\d{7}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}");
  private static final Pattern POSTAL_CODE = Pattern.compile("\\d{5}(-\\d{4})?");
  private static final Set<String> USE_CASES = Set.of("2FA", "ACCOUNT_NOTIFICATION", "AGENTS_FRANCHISES", "CHARITY", "CUSTOMER_CARE",
      "DELIVERY_NOTIFICATION", "EMERGENCY", "FRAUD_ALERT", "HIGHER_EDUCATION", "K12_EDUCATION", "LOW_VOLUME", "MARKETING", "MIXED",
      "POLITICAL", "POLLING_VOTING", "PROXY", "PUBLIC_SERVICE_ANNOUNCEMENT", "SECURITY_ALERT", "SOCIAL", "SWEEPSTAKE");
  private static final int MAX_SHORT_TEXT = 255;
  private static final int MAX_LONG_TEXT = 4096;
  private static final int MAX_SAMPLE = 1024;

  private final RegistrationService service;
  private final boolean sandbox;

  RegistrationRoutes(RegistrationService service, boolean sandbox) {
    this.service = service;
    this.sandbox = sandbox;
  }

  @Override
  public void mount(Router router) {
    router.post("/v1/business-profiles").consumes("application/json").handler(this::createProfile);
    router.get("/v1/business-profiles").handler(this::listProfiles);
    router.get("/v1/business-profiles/:profile_id").handler(ctx -> show(ctx, RegistrationKind.BUSINESS_PROFILE, ctx.pathParam("profile_id")));
    router.post("/v1/business-profiles/:profile_id/brand").consumes("application/json").handler(this::submitBrand);
    router.post("/v1/business-profiles/:profile_id/resubmit").handler(ctx -> resubmit(ctx, RegistrationKind.BUSINESS_PROFILE, ctx.pathParam("profile_id")));
    router.get("/v1/brands/:brand_id").handler(ctx -> show(ctx, RegistrationKind.BRAND, ctx.pathParam("brand_id")));
    router.post("/v1/brands/:brand_id/resubmit").handler(ctx -> resubmit(ctx, RegistrationKind.BRAND, ctx.pathParam("brand_id")));
    router.post("/v1/brands/:brand_id/campaigns").consumes("application/json").handler(this::submitCampaign);
    router.get("/v1/brands/:brand_id/campaigns").handler(this::listCampaigns);
    router.get("/v1/campaigns/:campaign_id").handler(ctx -> show(ctx, RegistrationKind.CAMPAIGN, ctx.pathParam("campaign_id")));
    router.post("/v1/campaigns/:campaign_id/resubmit").handler(ctx -> resubmit(ctx, RegistrationKind.CAMPAIGN, ctx.pathParam("campaign_id")));
    router.post("/v1/registrations/:kind/:id/review").consumes("application/json").handler(this::review);
    router.get("/v1/workspaces/:workspace_id/fees").handler(this::fees);
  }

  private void createProfile(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    JsonObject body = Json.body(ctx);
    String workspaceId = principal.actingWorkspace(Json.optionalString(body, "workspace_id"));
    RegistrationStore.ProfileFields fields = profileFields(body);
    service.createProfile(workspaceId, fields)
        .onSuccess(profile -> Json.respond(ctx, 201, json(profile)))
        .onFailure(ctx::fail);
  }

  private void listProfiles(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    service.profiles(principal.workspaceFilter(ctx.request().getParam("workspace_id")))
        .onSuccess(profiles -> Json.respond(ctx, 200, new JsonObject()
            .put("business_profiles", new JsonArray(profiles.stream().map(this::json).toList()))))
        .onFailure(ctx::fail);
  }

  private void show(RoutingContext ctx, RegistrationKind kind, String id) {
    service.visible(Principal.of(ctx), kind, id)
        .onSuccess(step -> Json.respond(ctx, 200, json(step)))
        .onFailure(ctx::fail);
  }

  private void submitBrand(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    String type = brandType(Json.body(ctx));
    service.submitBrand(principal, ctx.pathParam("profile_id"), type)
        .onSuccess(brand -> Json.respond(ctx, 201, json(brand)))
        .onFailure(ctx::fail);
  }

  private void submitCampaign(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    RegistrationStore.CampaignFields fields = campaignFields(Json.body(ctx));
    service.submitCampaign(principal, ctx.pathParam("brand_id"), fields)
        .onSuccess(campaign -> Json.respond(ctx, 201, json(campaign)))
        .onFailure(ctx::fail);
  }

  private void listCampaigns(RoutingContext ctx) {
    service.campaigns(Principal.of(ctx), ctx.pathParam("brand_id"))
        .onSuccess(campaigns -> Json.respond(ctx, 200, new JsonObject()
            .put("campaigns", new JsonArray(campaigns.stream().map(this::json).toList()))))
        .onFailure(ctx::fail);
  }

  /** A rejected step again, charged again; a body (optional) replaces the step's fields as on creation. */
  private void resubmit(RoutingContext ctx, RegistrationKind kind, String id) {
    Principal principal = Principal.of(ctx);
    Optional<JsonObject> body = ctx.body() == null || ctx.body().isEmpty() ? Optional.empty() : Optional.of(Json.body(ctx));
    Optional<RegistrationStore.ProfileFields> profile = kind == RegistrationKind.BUSINESS_PROFILE ? body.map(RegistrationRoutes::profileFields) : Optional.empty();
    Optional<RegistrationStore.CampaignFields> campaign = kind == RegistrationKind.CAMPAIGN ? body.map(RegistrationRoutes::campaignFields) : Optional.empty();
    Optional<String> brandType = kind == RegistrationKind.BRAND ? body.filter(b -> b.containsKey("type")).map(RegistrationRoutes::brandType) : Optional.empty();
    service.resubmit(principal, kind, id, profile, campaign, brandType)
        .onSuccess(step -> Json.respond(ctx, 200, json(step)))
        .onFailure(ctx::fail);
  }

  /** Sandbox only, admin: the carriers' decision. {@code {decision: approved|rejected|suspended, reason?, brand_score?}}. */
  private void review(RoutingContext ctx) {
    Principal.of(ctx).requireAdmin();
    if (!sandbox) {
      throw DomainFailure.conflict("review_not_available",
          "Registrations are reviewed by the carriers through Twilio in live mode; the review route is for sandbox mode only.");
    }
    RegistrationKind kind = RegistrationKind.fromWire(ctx.pathParam("kind")).orElseThrow(() ->
        DomainFailure.notFound("Registration kind '" + ctx.pathParam("kind") + "' (business_profile, brand or campaign)"));
    JsonObject body = Json.body(ctx);
    String decision = Json.requiredString(body, "decision");
    Set<String> allowed = kind == RegistrationKind.CAMPAIGN ? Set.of("approved", "rejected", "suspended") : Set.of("approved", "rejected");
    if (!allowed.contains(decision)) {
      throw DomainFailure.invalidField("decision", "must be one of " + allowed.stream().sorted().toList() + " for a " + kind.wireName());
    }
    String reason = optionalText(body, "reason", MAX_LONG_TEXT);
    Integer brandScore = null;
    if (body.getValue("brand_score") != null) {
      if (kind != RegistrationKind.BRAND || !(body.getValue("brand_score") instanceof Integer score) || score < 0 || score > 100) {
        throw DomainFailure.invalidField("brand_score", "is an integer from 0 to 100, for a brand only");
      }
      brandScore = score;
    }
    service.decide(kind, ctx.pathParam("id"), decision, reason, brandScore)
        .onSuccess(decided -> Json.respond(ctx, 200, json(decided.registration())))
        .onFailure(ctx::fail);
  }

  private void fees(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    String workspaceId = ctx.pathParam("workspace_id");
    if (!principal.canAccess(workspaceId)) {
      throw DomainFailure.notFound("Workspace '" + workspaceId + "'");
    }
    service.fees(workspaceId)
        .onSuccess(items -> Json.respond(ctx, 200, new JsonObject()
            .put("workspace_id", workspaceId)
            .put("items", new JsonArray(items))
            .put("total_cents", items.stream().mapToLong(item -> item.getInteger("amount_cents")).sum())
            .put("currency", "USD")))
        .onFailure(ctx::fail);
  }

  private JsonObject json(Registration step) {
    return step.toJson(service.clock(), service.config().staleAfter());
  }

  static RegistrationStore.ProfileFields profileFields(JsonObject body) {
    String legalName = requiredText(body, "legal_name", MAX_SHORT_TEXT);
    String ein = Json.requiredString(body, "ein");
    if (!EIN.matcher(ein).matches()) {
      throw DomainFailure.invalidField("ein", "must be a US EIN as NN-NNNNNNN, e.g. 12-3456789");
    }
    if (!(body.getValue("address") instanceof JsonObject address)) {
      throw DomainFailure.invalidField("address", "is required: {street, city, region, postal_code, country: \"US\"}");
    }
    String country = Json.optionalString(address, "country");
    if (!"US".equals(country)) {
      throw DomainFailure.invalidField("address.country", "must be \"US\": A2P 10DLC registers US businesses");
    }
    String postalCode = requiredText(address, "postal_code", 10, "address.postal_code");
    if (!POSTAL_CODE.matcher(postalCode).matches()) {
      throw DomainFailure.invalidField("address.postal_code", "must be a US ZIP code (12345 or 12345-6789)");
    }
    String website = Json.requiredString(body, "website");
    if (!isHttpsUrl(website)) {
      throw DomainFailure.invalidField("website", "must be an absolute https URL, e.g. https://example.com");
    }
    String email = Json.requiredString(body, "contact_email");
    if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
      throw DomainFailure.invalidField("contact_email", "must be an email address");
    }
    String phone = PhoneNumbers.requiredUs(body, "contact_phone");
    return new RegistrationStore.ProfileFields(legalName, ein,
        requiredText(address, "street", MAX_SHORT_TEXT, "address.street"),
        requiredText(address, "city", MAX_SHORT_TEXT, "address.city"),
        requiredText(address, "region", MAX_SHORT_TEXT, "address.region"),
        postalCode, country, website, email, phone);
  }

  private static boolean isHttpsUrl(String value) {
    try {
      URI uri = new URI(value);
      return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && value.length() <= 2048;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  static String brandType(JsonObject body) {
    String type = Json.optionalString(body, "type");
    if (!"low_volume".equals(type) && !"standard".equals(type)) {
      throw DomainFailure.invalidField("type", "must be low_volume or standard");
    }
    return type;
  }

  static RegistrationStore.CampaignFields campaignFields(JsonObject body) {
    String useCase = Json.requiredString(body, "use_case").toUpperCase(Locale.ROOT);
    if (!USE_CASES.contains(useCase)) {
      throw DomainFailure.invalidField("use_case", "must be a US A2P use case, one of " + USE_CASES.stream().sorted().toList());
    }
    String description = requiredText(body, "description", MAX_LONG_TEXT);
    List<String> samples = strings(body, "sample_messages", 2, 5, MAX_SAMPLE, true);
    String messageFlow = requiredText(body, "message_flow", MAX_LONG_TEXT);
    List<String> keywords = body.getValue("opt_in_keywords") == null ? null : strings(body, "opt_in_keywords", 1, 20, MAX_SHORT_TEXT, false);
    return new RegistrationStore.CampaignFields(useCase, description, samples, messageFlow, keywords,
        optionalText(body, "opt_out_message", MAX_LONG_TEXT), optionalText(body, "help_message", MAX_LONG_TEXT),
        requiredBoolean(body, "has_embedded_links"), requiredBoolean(body, "has_embedded_phone"));
  }

  private static List<String> strings(JsonObject body, String field, int min, int max, int maxLength, boolean required) {
    Object value = body.getValue(field);
    String rule = "must be a list of " + min + " to " + max + " non-empty texts of at most " + maxLength + " characters";
    if (!(value instanceof JsonArray array) || array.size() < min || array.size() > max) {
      throw DomainFailure.invalidField(field, (value == null && required ? "is required and " : "") + rule);
    }
    List<String> texts = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String text) || text.isBlank() || text.length() > maxLength) {
        throw DomainFailure.invalidField(field, rule);
      }
      texts.add(text);
    }
    return texts;
  }

  private static boolean requiredBoolean(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof Boolean value)) {
      throw DomainFailure.invalidField(field, "is required: true or false");
    }
    return value;
  }

  private static String requiredText(JsonObject body, String field, int maxLength) {
    return requiredText(body, field, maxLength, field);
  }

  private static String requiredText(JsonObject body, String key, int maxLength, String field) {
    Object value = body.getValue(key);
    if (!(value instanceof String text) || text.isBlank()) {
      throw DomainFailure.invalidField(field, value == null ? "is required" : "must be a non-empty string");
    }
    if (text.length() > maxLength) {
      throw DomainFailure.invalidField(field, "must be at most " + maxLength + " characters");
    }
    return text;
  }

  private static String optionalText(JsonObject body, String field, int maxLength) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    return requiredText(body, field, maxLength);
  }

}
