package com.smsgateway.outbound;

import com.smsgateway.auth.Principal;
import com.smsgateway.http.ApiError;
import com.smsgateway.http.Json;
import com.smsgateway.http.Routes;
import com.smsgateway.twilio.TwilioAccounts;
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
  private final OutboxStore store;
  private final BrandResolver brands;
  private final TwilioAccounts accounts;

  MessageRoutes(OutboundPipeline pipeline, OutboxStore store, BrandResolver brands, TwilioAccounts accounts) {
    this.pipeline = pipeline;
    this.store = store;
    this.brands = brands;
    this.accounts = accounts;
  }

  @Override
  public void mount(Router router) {
    router.post("/v1/messages").consumes("application/json").handler(this::send);
    router.get("/v1/messages/:message_id").handler(this::get);
  }

  /**
   * The API sends from the workspace's platform numbers through the platform account; numbers of other kinds
   * reach the pipeline through their own features (in-call SMS, chats).
   */
  private void send(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    JsonObject body = Json.body(ctx);
    String workspaceId = workspaceOf(principal, Json.optionalString(body, "workspace_id"));
    String from = Json.requiredString(body, "from_number");
    String to = Json.requiredString(body, "to_number");
    String text = Json.optionalString(body, "body");
    List<String> mediaUrls = mediaUrls(body);
    brands.brandOf(SenderKind.PLATFORM, from, workspaceId)
        .compose(brand -> pipeline.submit(new OutboundRequest(workspaceId,
            new Sender(SenderKind.PLATFORM, from, accounts.platform(), brand), to, text, mediaUrls,
            Optional.empty(), Optional.empty())))
        .onSuccess(message -> Json.respond(ctx, 202, message.toJson()))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    String id = ctx.pathParam("message_id");
    String description = "Message '" + id + "'";
    store.find(id)
        .map(found -> principal.requireVisible(found, SmsMessage::workspaceId, description))
        .compose(message -> store.history(id).map(history -> message.toJson().put("status_history", history)))
        .onSuccess(message -> Json.respond(ctx, 200, message))
        .onFailure(ctx::fail);
  }

  /** A workspace key sends for its own workspace; an admin names the workspace. */
  private static String workspaceOf(Principal principal, String requested) {
    if (principal.isAdmin()) {
      if (requested == null) {
        throw ApiError.invalidField("workspace_id", "is required with an admin key");
      }
      return requested;
    }
    if (requested != null) {
      principal.requireActingFor(requested);
    }
    return principal.workspaceId();
  }

  private static List<String> mediaUrls(JsonObject body) {
    Object value = body.getValue("media_urls");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array) || !array.stream().allMatch(String.class::isInstance)) {
      throw ApiError.invalidField("media_urls", "must be a list of URLs");
    }
    List<String> urls = new ArrayList<>();
    array.forEach(url -> urls.add((String) url));
    return urls;
  }
}
