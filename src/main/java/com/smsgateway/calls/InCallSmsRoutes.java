package com.smsgateway.calls;

import com.smsgateway.auth.Principal;
import com.smsgateway.domain.DomainFailure;
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
    calls.findAccessible(principal, ctx.pathParam("call_id"))
        .compose(call -> {
          Text text = templateId != null
              ? new Text(templates.render(templateId, (JsonObject) variables), true)
              : new Text(content, false);
          return ownNumbers.of(call.workspaceId(), call.agentNumber()).compose(agent -> agent.isPresent()
              ? submit(call, agent.get(), text, toNumber)
              : poolSender(call, text).compose(pool -> submit(call, pool, text, toNumber)));
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

  /** The pool number pinned to the call (pinned now at its first pool SMS); only templates go out from the pool. */
  private Future<SendingNumber> poolSender(Call call, Text text) {
    if (!text.fromTemplate()) {
      return Future.failedFuture(DomainFailure.invalid("pool_requires_template",
          "Call '" + call.callId() + "' texts from an SMS pool number, which may send only preset templates: send template_id"
              + " and variables (GET /v1/sms-templates lists them).", "content"));
    }
    return pins.poolNumber(call).compose(number -> brands.brandOf(SenderKind.POOL, number, call.workspaceId())
        .map(brand -> new SendingNumber(SenderKind.POOL, number, accounts.platform(), brand)));
  }

  private Future<Message> submit(Call call, SendingNumber sender, Text text, String toNumber) {
    OutboundRequest request = new OutboundRequest(call.workspaceId(), sender, toNumber == null ? call.customerNumber() : toNumber,
        text.body(), List.of(), Optional.of(call.callId()), Optional.empty());
    return pipeline.submit(request).onSuccess(sent -> (sender.kind() == SenderKind.POOL ? sentFromPool : sentFromAgentNumber).increment());
  }

  /** Both directions, oldest first; a call that ended still lists its texts to the workspace that had it. */
  private void list(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    String callId = ctx.pathParam("call_id");
    String workspace = principal.workspaceFilter(null).orElse(null);
    calls.findAccessible(principal, callId)
        .transform(active -> messages.listByCall(callId, workspace).map(texts -> {
          if (active.failed() && texts.isEmpty()) {
            throw DomainFailure.notFound("Call '" + callId + "'");
          }
          return texts;
        }))
        .onSuccess(texts -> Json.respond(ctx, 200, new JsonObject()
            .put("messages", new JsonArray(texts.stream().map(Message::toJson).toList()))))
        .onFailure(ctx::fail);
  }
}
