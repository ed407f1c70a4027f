package com.smsgateway.calls;

import com.smsgateway.auth.Principal;
import com.smsgateway.domain.DomainFailure;
import com.smsgateway.http.Json;
import com.smsgateway.http.Routes;
import com.smsgateway.numbers.NumberType;
import com.smsgateway.numbers.PhoneNumbers;
import com.smsgateway.numbers.SmsNumberStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The voice platform's calls (DESIGN.md §6): {@code POST /v1/calls}, {@code GET} and {@code DELETE /v1/calls/{call_id}}. */
public final class CallRoutes implements Routes {
  /**
   * The query parameter naming the workspace of the call in the path: call ids are unique per workspace, so an admin
   * or voice-platform key names the workspace when two have an active call of that id (a workspace key needs none).
   */
  static final String WORKSPACE_ID = "workspace_id";
  private static final int DEFAULT_LIST_LIMIT = 100;
  private static final int MAX_LIST_LIMIT = 500;
  private final CallRegistry calls;
  private final SmsNumberStore numbers;
  private final CallMetrics metrics;

  CallRoutes(CallRegistry calls, SmsNumberStore numbers, CallMetrics metrics) {
    this.calls = calls;
    this.numbers = numbers;
    this.metrics = metrics;
  }

  @Override
  public void mount(Router router) {
    // Before the router's error handler: counts the tenant-isolation refusals of every calls route, then lets it answer.
    router.route("/v1/calls*").failureHandler(ctx -> {
      metrics.refused(ctx.failure());
      ctx.next();
    });
    router.post("/v1/calls").consumes("application/json").handler(this::register);
    router.get("/v1/calls").handler(this::listActive);
    router.get("/v1/calls/:call_id").handler(this::get);
    router.delete("/v1/calls/:call_id").handler(this::end);
  }

  private void register(RoutingContext ctx) {
    Principal.of(ctx).requireCallControl();
    JsonObject body = Json.body(ctx);
    String callId = Json.requiredString(body, "call_id");
    if (!CallRegistry.isValidCallId(callId)) {
      throw DomainFailure.invalidField("call_id", "must be 1-128 letters, digits or _ . : -");
    }
    String workspaceId = Json.requiredString(body, "workspace_id");
    if (!CallRegistry.isValidWorkspaceId(workspaceId)) {
      throw DomainFailure.invalidField("workspace_id", "must be 1-64 letters, digits or _ . : -");
    }
    CallRequest request = new CallRequest(callId, workspaceId, Json.requiredString(body, "agent_id"),
        PhoneNumbers.requiredUs(body, "agent_number"), PhoneNumbers.requiredUs(body, "customer_number"));
    if (request.agentNumber().equals(request.customerNumber())) {
      throw DomainFailure.invalidField("customer_number", "must differ from agent_number");
    }
    checkAgentNumber(request)
        .compose(ok -> calls.register(request))
        .onSuccess(registration -> {
          JsonObject json = registration.call().toJson();
          if (registration.replacedCallId() != null) {
            json.put("replaced_call_id", registration.replacedCallId());
          }
          Json.respond(ctx, registration.created() ? 201 : 200, json);
        })
        .onFailure(ctx::fail);
  }

  /**
   * A call may use a number of the gateway only when it is the workspace's own: a pool number's routes belong to
   * the pool, another workspace's number is not this workspace's to text from. Numbers the gateway does not know
   * are fine (voice-only numbers: the call texts from the pool).
   */
  private Future<Void> checkAgentNumber(CallRequest request) {
    return numbers.find(request.agentNumber()).map(found -> {
      found.ifPresent(number -> {
        if (number.type() == NumberType.POOL) {
          throw DomainFailure.invalidField("agent_number", "is an SMS pool number, not an agent's number");
        }
        if (!number.workspaceId().equals(request.workspaceId())) {
          throw DomainFailure.invalidField("agent_number", "is not a number of workspace '" + request.workspaceId() + "'");
        }
      });
      return null;
    });
  }

  /**
   * A workspace's active calls, newest first: a workspace key lists its own; admin (and voice-platform) keys name
   * {@code workspace_id}, since calls are indexed per workspace.
   */
  private void listActive(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    String workspaceId = principal.callWorkspaceFilter(ctx.queryParams().get(WORKSPACE_ID))
        .orElseThrow(() -> DomainFailure.invalidField("workspace_id", "is required with a key that is not a workspace's"));
    int limit = listLimit(ctx.queryParams().get("limit"));
    calls.active(workspaceId, limit)
        .onSuccess(active -> Json.respond(ctx, 200, new JsonObject().put("calls", active.stream().map(Call::toJson).toList())))
        .onFailure(ctx::fail);
  }

  private static int listLimit(String value) {
    if (value == null) {
      return DEFAULT_LIST_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIST_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw DomainFailure.invalidField("limit", "must be an integer from 1 to " + MAX_LIST_LIMIT);
  }

  private void get(RoutingContext ctx) {
    calls.resolve(Principal.of(ctx), ctx.pathParam("call_id"), ctx.queryParams().get(WORKSPACE_ID))
        .onSuccess(call -> Json.respond(ctx, 200, call.toJson()))
        .onFailure(ctx::fail);
  }

  private void end(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.requireCallControl();
    calls.resolve(principal, ctx.pathParam("call_id"), ctx.queryParams().get(WORKSPACE_ID))
        .compose(calls::end)
        .onSuccess(ended -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }
}
