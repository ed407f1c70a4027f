package com.smsgateway.outbound;

import com.smsgateway.messages.MessageStore;
import com.smsgateway.messages.Message;
import com.smsgateway.numbers.PhoneNumbers;
import com.smsgateway.auth.Principal;
import com.smsgateway.domain.DomainFailure;
import com.smsgateway.http.IdempotentRequests;
import com.smsgateway.http.Json;
import com.smsgateway.http.Routes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code POST /v1/messages} (send a text through the outbound pipeline) and {@code GET /v1/messages/{id}}. */
final class MessageRoutes implements Routes {
  private final OutboundPipeline pipeline;
  private final MessageStore store;
  private final WorkspaceSendingNumbers ownNumbers;

  MessageRoutes(OutboundPipeline pipeline, MessageStore store, WorkspaceSendingNumbers ownNumbers) {
    this.pipeline = pipeline;
    this.store = store;
    this.ownNumbers = ownNumbers;
  }

  @Override
  public void mount(Router router) {
    router.post("/v1/messages").consumes("application/json").handler(this::send);
    router.get("/v1/messages/:message_id").handler(this::get);
  }

  /** The API sends from one of the workspace's own SMS-capable numbers (platform or BYO), never another's. */
  private void send(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    JsonObject body = Json.body(ctx);
    String workspaceId = workspaceOf(principal, Json.optionalString(body, "workspace_id"));
    String from = PhoneNumbers.requiredUs(body, "from_number");
    String to = PhoneNumbers.requiredUs(body, "to_number");
    String text = Json.optionalString(body, "body");
    List<String> mediaUrls = mediaUrls(body);
    ownNumbers.require(workspaceId, from)
        .compose(sender -> pipeline.submit(new OutboundRequest(workspaceId, sender,
            to, text, mediaUrls, Optional.empty(), Optional.empty(), IdempotentRequests.nextDerivedId(ctx, MessageStore.ID_PREFIX))))
        .onSuccess(message -> Json.respond(ctx, 202, message.toJson()))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    String id = ctx.pathParam("message_id");
    String description = "Message '" + id + "'";
    store.find(id)
        .map(found -> principal.requireVisible(found, Message::workspaceId, description))
        .compose(message -> store.history(id).map(history -> message.toJson().put("status_history", history)))
        .onSuccess(message -> Json.respond(ctx, 200, message))
        .onFailure(ctx::fail);
  }

  /** A workspace key sends for its own workspace; an admin names the workspace. */
  private static String workspaceOf(Principal principal, String requested) {
    if (principal.isAdmin()) {
      if (requested == null) {
        throw DomainFailure.invalidField("workspace_id", "is required with an admin key");
      }
      return requested;
    }
    principal.requireActingFor(requested != null ? requested : principal.workspaceId());
    return principal.workspaceId();
  }

  private static List<String> mediaUrls(JsonObject body) {
    Object value = body.getValue("media_urls");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array) || !array.stream().allMatch(String.class::isInstance)) {
      throw DomainFailure.invalidField("media_urls", "must be a list of URLs");
    }
    List<String> urls = new ArrayList<>();
    array.forEach(url -> urls.add((String) url));
    return urls;
  }
}
