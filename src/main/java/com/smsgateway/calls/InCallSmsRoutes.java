package com.smsgateway.calls;

import com.smsgateway.auth.Principal;
import com.smsgateway.domain.DomainFailure;
import com.smsgateway.http.IdempotentRequests;
import com.smsgateway.http.Json;
import com.smsgateway.http.Routes;
import com.smsgateway.numbers.PhoneNumbers;
import com.smsgateway.outbound.BrandResolver;
import com.smsgateway.outbound.OutboundPipeline;
import com.smsgateway.outbound.WorkspaceSendingNumbers;
import com.smsgateway.outbound.OutboundRequest;
import com.smsgateway.outbound.SendingNumber;
import com.smsgateway.outbound.SenderKind;
import com.smsgateway.messages.Message;
import com.smsgateway.messages.MessageStore;
import com.smsgateway.templates.TemplateCatalog;
import com.smsgateway.twilio.TwilioAccounts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;

/**
 * Texting during a call (DESIGN.md §6): {@code POST /v1/calls/{call_id}/sms} sends from the call's agent number when
 * it may send SMS, else from the pool number pinned to the call (templates only); {@code GET} lists the call's texts.
 */
final class InCallSmsRoutes implements Routes {
  private final CallRegistry calls;
  private final PoolPins pins;
  private final WorkspaceSendingNumbers ownNumbers;
  private final TemplateCatalog templates;
  private final MessageStore messages;
  private final TwilioAccounts accounts;
  private final BrandResolver brands;
  private final OutboundPipeline pipeline;
  private final Counter sentFromAgentNumber;
  private final Counter sentFromPool;

  InCallSmsRoutes(CallRegistry calls, PoolPins pins, WorkspaceSendingNumbers ownNumbers, TemplateCatalog templates, MessageStore messages,
                  TwilioAccounts accounts, BrandResolver brands, OutboundPipeline pipeline, MeterRegistry registry) {
    this.calls = calls;
    this.pins = pins;
    this.ownNumbers = ownNumbers;
    this.templates = templates;
    this.messages = messages;
    this.accounts = accounts;
    this.brands = brands;
    this.pipeline = pipeline;
    this.sentFromAgentNumber = sentCounter(registry, "agent_number");
    this.sentFromPool = sentCounter(registry, "pool");
  }

  private static Counter sentCounter(MeterRegistry registry, String sender) {
    return Counter.builder("gateway.calls.sms.sent").description("In-call SMS accepted for sending, by sender kind")
        .tag("sender", sender).register(registry);
  }

  @Override
  public void mount(Router router) {
    router.post("/v1/calls/:call_id/sms").consumes("application/json").handler(this::send);
    router.get("/v1/calls/:call_id/sms").handler(this::list);
  }

  /** What to send: a rendered template, or free text (allowed from the agent's own number only). */
  private record Text(String body, boolean fromTemplate) {}

  private void send(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.requireCallControl();
    JsonObject body = Json.body(ctx);
    String templateId = Json.optionalString(body, "template_id");
    String content = Json.optionalString(body, "content");
    if ((templateId == null) == (content == null)) {
      throw DomainFailure.invalidField(templateId == null ? "template_id" : "content", "give either template_id (with variables) or content");
    }
    Object variables = body.getValue("variables");
    if (variables != null && !(variables instanceof JsonObject)) {
      throw DomainFailure.invalidField("variables", "must be an object of variable names to values");
    }
    String toNumber = PhoneNumbers.optionalUs(body, "to_number");
    calls.resolve(principal, ctx.pathParam("call_id"), ctx.queryParams().get(CallRoutes.WORKSPACE_ID))
        .compose(call -> {
          Text text = templateId != null
              ? new Text(templates.render(templateId, (JsonObject) variables), true)
              : new Text(content, false);
          return ownNumbers.of(call.workspaceId(), call.agentNumber()).compose(agent -> agent.isPresent()
              ? submit(ctx, call, agent.get(), text, toNumber)
              : poolSender(call, text, toNumber).compose(pool -> submit(ctx, call, pool, text, toNumber)));
        })
        .onSuccess(sent -> Json.respond(ctx, 202, new JsonObject()
            .put("message_id", sent.id())
            .put("call_id", sent.callId())
            .put("from_number", sent.fromNumber())
            .put("to_number", sent.toNumber())
            .put("body", sent.body())
            .put("segments", sent.segments())
            .put("encoding", sent.encoding())
            .put("status", sent.status())))
        .onFailure(ctx::fail);
  }

  /**
   * The pool number pinned to the call (pinned now at its first pool SMS). The pool is shared by every tenant and
   * approved for the preset templates only, so it sends only templates, and only to the call's customer: a pool
   * text to anyone else would let a tenant text any US number under the platform's registration.
   */
  private Future<SendingNumber> poolSender(Call call, Text text, String toNumber) {
    if (!text.fromTemplate()) {
      return Future.failedFuture(DomainFailure.invalid("pool_requires_template",
          "Call '" + call.callId() + "' texts from an SMS pool number, which may send only preset templates: send template_id"
              + " and variables (GET /v1/sms-templates lists them).", "content"));
    }
    if (toNumber != null && !toNumber.equals(call.customerNumber())) {
      return Future.failedFuture(DomainFailure.invalid("pool_recipient_must_be_customer",
          "Call '" + call.callId() + "' texts from an SMS pool number, which may text only the call's customer: leave"
              + " to_number out or set it to the call's customer_number.", "to_number"));
    }
    return pins.poolNumber(call).compose(number -> brands.brandOf(SenderKind.POOL, number, call.workspaceId())
        .map(brand -> new SendingNumber(SenderKind.POOL, number, accounts.platform(), brand)));
  }

  private Future<Message> submit(RoutingContext ctx, Call call, SendingNumber sender, Text text, String toNumber) {
    OutboundRequest request = new OutboundRequest(call.workspaceId(), sender, toNumber == null ? call.customerNumber() : toNumber,
        text.body(), List.of(), Optional.of(call.callId()), Optional.empty(), IdempotentRequests.nextDerivedId(ctx, MessageStore.ID_PREFIX));
    return pipeline.submit(request).onSuccess(sent -> (sender.kind() == SenderKind.POOL ? sentFromPool : sentFromAgentNumber).increment());
  }

  /**
   * Both directions, oldest first; a call that ended still lists its texts (late replies included) to the workspace
   * that had it. The workspace is the key's own, the one named by {@code ?workspace_id=}, or that of the only active
   * call of the id; for an ended call named by id alone, the texts must belong to one workspace (else 409).
   */
  private void list(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    String callId = ctx.pathParam("call_id");
    calls.workspaceOf(principal, callId, ctx.queryParams().get(CallRoutes.WORKSPACE_ID))
        .compose(workspace -> {
          if (workspace.isEmpty() && !principal.actsForAnyWorkspaceOnCalls()) {
            return Future.failedFuture(DomainFailure.notFound("Call '" + callId + "'"));
          }
          Future<Boolean> active = workspace.isEmpty()
              ? Future.succeededFuture(false)
              : calls.find(new CallRef(workspace.get(), callId)).map(Optional::isPresent);
          return active.compose(isActive -> messages.listByCall(callId, workspace.orElse(null)).map(texts -> {
            if (texts.isEmpty() && !isActive) {
              throw DomainFailure.notFound("Call '" + callId + "'");
            }
            if (texts.stream().map(Message::workspaceId).distinct().count() > 1) {
              throw new DomainFailure(DomainFailure.Kind.CONFLICT, "call_id_ambiguous", "Calls of several workspaces had the id '"
                  + callId + "': name the workspace with ?workspace_id=.", CallRoutes.WORKSPACE_ID, null);
            }
            return texts;
          }));
        })
        .onSuccess(texts -> Json.respond(ctx, 200, new JsonObject()
            .put("messages", new JsonArray(texts.stream().map(Message::toJson).toList()))))
        .onFailure(ctx::fail);
  }
}
