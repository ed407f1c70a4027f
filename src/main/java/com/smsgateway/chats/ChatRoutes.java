package com.smsgateway.chats;

import com.smsgateway.auth.Principal;
import com.smsgateway.domain.DomainFailure;
import com.smsgateway.http.IdempotentRequests;
import com.smsgateway.http.Json;
import com.smsgateway.http.Routes;
import com.smsgateway.numbers.PhoneNumbers;
import com.smsgateway.optout.OptOutRegistry;
import com.smsgateway.outbound.WorkspaceSendingNumbers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.Set;

/**
 * The chats API (DESIGN.md §7): {@code POST /v1/sms-chats} (Create Outbound SMS: the agent writes the first text),
 * {@code GET /v1/sms-chats/{chat_id}} with its texts, {@code GET /v1/sms-chats} (newest first, cursor pages) and
 * {@code POST /v1/sms-chats/{chat_id}/end}. A workspace sees only its own chats; others' ids answer 404.
 */
final class ChatRoutes implements Routes {
  static final String END_API = "api_ended";
  private static final Set<String> STATUSES = Set.of(Chat.ONGOING, Chat.ERROR, Chat.ENDED);
  private static final int DEFAULT_LIMIT = 20;
  private static final int MAX_LIMIT = 100;

  private final ChatStore store;
  private final ChatMessages messages;
  private final WorkspaceSendingNumbers sendingNumbers;
  private final OptOutRegistry optOuts;
  private final ChatMetrics metrics;
  private final Vertx vertx;

  ChatRoutes(ChatStore store, ChatMessages messages, WorkspaceSendingNumbers sendingNumbers, OptOutRegistry optOuts, ChatMetrics metrics, Vertx vertx) {
    this.store = store;
    this.messages = messages;
    this.sendingNumbers = sendingNumbers;
    this.optOuts = optOuts;
    this.metrics = metrics;
    this.vertx = vertx;
  }

  @Override
  public void mount(Router router) {
    router.post("/v1/sms-chats").consumes("application/json").handler(this::create);
    router.get("/v1/sms-chats").handler(this::list);
    router.get("/v1/sms-chats/:chat_id").handler(this::get);
    router.post("/v1/sms-chats/:chat_id/end").handler(this::end);
  }

  /** The id a chat was to be opened with, and the chat when it was (empty: the pair has an open chat). */
  private record Candidate(String id, Optional<Chat> created) {}

  private void create(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.requireNotVoicePlatform();
    JsonObject body = Json.body(ctx);
    String from = PhoneNumbers.requiredUs(body, "from_number");
    String to = PhoneNumbers.requiredUs(body, "to_number");
    String overrideAgentId = Json.optionalString(body, "override_agent_id");
    JsonObject dynamicVariables = optionalObject(body, "dynamic_variables");
    JsonObject metadata = optionalObject(body, "metadata");
    DomainFailure notAllowed = DomainFailure.invalid("sender_not_allowed", "from_number '" + from
        + "' is not an SMS-enabled number of this workspace.", "from_number");
    store.numberSettings(from)
        .compose(found -> {
          ChatStore.NumberSettings number = found.filter(n -> n.workspaceId() != null && principal.canAccess(n.workspaceId()))
              .orElseThrow(() -> notAllowed);
          return sendingNumbers.of(number.workspaceId(), from).map(sender -> {
            if (sender.isEmpty()) {
              throw notAllowed;
            }
            String agentId = overrideAgentId != null && !overrideAgentId.isBlank() ? overrideAgentId : number.chatAgentId();
            if (agentId == null) {
              throw DomainFailure.invalidField("override_agent_id", "is required: " + from + " has no chat agent attached");
            }
            // With an Idempotency-Key the id is the request's: a retry after a crash finds the chat an earlier run opened.
            String id = IdempotentRequests.nextDerivedId(ctx, ChatStore.ID_PREFIX).orElseGet(ChatStore::newId);
            return new ChatStore.NewChat(id, number.workspaceId(), agentId, from, to, "api", false, dynamicVariables, metadata);
          });
        })
        .compose(candidate -> optOuts.isOptedOut(from, to).compose(optedOut -> {
          if (optedOut) {
            throw DomainFailure.conflict("recipient_opted_out", to + " opted out of texts from " + from
                + "; they can text START to opt back in.");
          }
          return store.insert(store.pool(), candidate).map(created -> new Candidate(candidate.id(), created));
        }))
        .compose(tried -> {
          if (tried.created().isPresent()) {
            metrics.started("api");
            return Future.succeededFuture(tried.created().get());
          }
          return store.findOpen(from, to).map(open -> {
            if (open.isPresent() && open.get().id().equals(tried.id())) {
              return open.get(); // opened by an earlier run of this request, whose replica died before answering
            }
            throw DomainFailure.conflict("chat_in_progress", from + " already has an ongoing chat with " + to
                + "; end it with POST /v1/sms-chats/{chat_id}/end first.").with("chat_id", open.map(Chat::id).orElse(null));
          });
        })
        .onSuccess(chat -> {
          ChatWorkWorker.wake(vertx);
          Json.respond(ctx, 201, chat.toJson(java.util.List.of()));
        })
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.requireNotVoicePlatform();
    String chatId = ctx.pathParam("chat_id");
    store.find(chatId)
        .map(found -> principal.requireVisible(found, Chat::workspaceId, "Chat '" + chatId + "'"))
        .compose(chat -> messages.history(chat.id()).map(chat::toJson))
        .onSuccess(chat -> Json.respond(ctx, 200, chat))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    Optional<String> workspace = principal.workspaceFilter(ctx.request().getParam("workspace_id"));
    String phoneNumber = Optional.ofNullable(ctx.request().getParam("phone_number")).filter(p -> !p.isBlank())
        .map(p -> PhoneNumbers.requireUs("phone_number", p)).orElse(null);
    String status = Optional.ofNullable(ctx.request().getParam("status")).filter(s -> !s.isBlank()).orElse(null);
    if (status != null && !STATUSES.contains(status)) {
      throw DomainFailure.invalidField("status", "must be one of ongoing, ended, error");
    }
    int limit = limit(ctx.request().getParam("limit"));
    Optional<ChatCursor> cursor = Optional.ofNullable(ctx.request().getParam("cursor")).filter(c -> !c.isBlank()).map(ChatCursor::decode);
    store.list(workspace, phoneNumber, status, limit, cursor)
        .onSuccess(page -> Json.respond(ctx, 200, new JsonObject()
            .put("chats", new JsonArray(page.chats().stream().map(chat -> chat.toJson(null)).toList()))
            .put("next_cursor", page.nextCursor().orElse(null))))
        .onFailure(ctx::fail);
  }

  private void end(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    principal.requireNotVoicePlatform();
    String chatId = ctx.pathParam("chat_id");
    String description = "Chat '" + chatId + "'";
    store.find(chatId)
        .map(found -> principal.requireVisible(found, Chat::workspaceId, description))
        .compose(chat -> store.end(chat.id(), END_API, null))
        .map(ended -> ended.orElseThrow(() -> DomainFailure.conflict("chat_not_ongoing", description + " has already ended.")))
        .compose(ended -> {
          metrics.ended(END_API, ended.messageCount());
          return messages.history(chatId).map(history -> ended.chat().toJson(history));
        })
        .onSuccess(chat -> Json.respond(ctx, 200, chat))
        .onFailure(ctx::fail);
  }

  private static int limit(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw DomainFailure.invalidField("limit", "must be an integer from 1 to " + MAX_LIMIT);
  }

  private static JsonObject optionalObject(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject object)) {
      throw DomainFailure.invalidField(field, "must be a JSON object");
    }
    return object;
  }
}
