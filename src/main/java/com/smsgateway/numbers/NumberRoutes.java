package com.smsgateway.numbers;

import com.smsgateway.auth.Principal;
import com.smsgateway.domain.DomainFailure;
import com.smsgateway.http.Json;
import com.smsgateway.http.Routes;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The SMS-approved pool ({@code /v1/pool-numbers}, admin only) and agent numbers ({@code /v1/sms-numbers/{phone_number}}).
 * {@code PUT /v1/sms-numbers/{phone_number}} (admin) registers an agent number with its {@code sms_status}: the flag
 * that decides whether a platform number may text, until A2P registration sets it from an approved campaign.
 */
public final class NumberRoutes implements Routes {
  private static final String PHONE_NUMBER = "phone_number";
  private final SmsNumberStore numbers;

  public NumberRoutes(SmsNumberStore numbers) {
    this.numbers = numbers;
  }

  @Override
  public void mount(Router router) {
    router.post("/v1/pool-numbers").consumes("application/json").handler(this::addPoolNumber);
    router.get("/v1/pool-numbers").handler(this::listPoolNumbers);
    router.delete("/v1/pool-numbers/:phone_number").handler(this::deletePoolNumber);
    router.put("/v1/sms-numbers/:phone_number").consumes("application/json").handler(this::putAgentNumber);
    router.get("/v1/sms-numbers/:phone_number").handler(this::getNumber);
  }

  private void addPoolNumber(RoutingContext ctx) {
    Principal.of(ctx).requireAdmin();
    String phoneNumber = PhoneNumbers.requiredUs(Json.body(ctx), PHONE_NUMBER);
    numbers.addPoolNumber(phoneNumber)
        .map(added -> added.orElseThrow(() -> DomainFailure.conflict("number_exists",
            phoneNumber + " is already a pool or agent number; DELETE /v1/pool-numbers/" + phoneNumber + " first to re-add it.")))
        .onSuccess(added -> Json.respond(ctx, 201, added.toJson()))
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
    numbers.deletePoolNumber(phoneNumber)
        .map(deleted -> {
          if (!deleted) {
            throw DomainFailure.notFound("Pool number " + phoneNumber);
          }
          return deleted;
        })
        .onSuccess(deleted -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

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
        .onSuccess(put -> Json.respond(ctx, put.created() ? 201 : 200, put.number().toJson()))
        .onFailure(ctx::fail);
  }

  private void getNumber(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    String phoneNumber = PhoneNumbers.requireUs(PHONE_NUMBER, ctx.pathParam(PHONE_NUMBER));
    numbers.find(phoneNumber)
        .map(found -> {
          SmsNumber number = found.orElseThrow(() -> DomainFailure.notFound("Number " + phoneNumber));
          principal.requireAccess(number.workspaceId(), "Number " + phoneNumber);
          return number;
        })
        .onSuccess(number -> Json.respond(ctx, 200, number.toJson()))
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
}
