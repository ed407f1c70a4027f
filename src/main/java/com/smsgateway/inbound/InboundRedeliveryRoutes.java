package com.smsgateway.inbound;

import com.smsgateway.auth.Principal;
import com.smsgateway.domain.DomainFailure;
import com.smsgateway.http.Json;
import com.smsgateway.http.Routes;
import com.smsgateway.messages.MessageStore;
import com.smsgateway.work.LeasedWorker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/inbound/redeliver} (admin): abandoned inbound texts, named by {@code message_ids} or received in
 * {@code [since, until)}, become pending again with fresh attempts and are offered to the handlers at once.
 * Answers 202 {@code {"redelivered": n}}; texts that are not abandoned are left as they are.
 */
final class InboundRedeliveryRoutes implements Routes {
  static final String PATH = "/v1/inbound/redeliver";
  private static final int MAX_IDS = 1000;

  private final MessageStore messages;

  InboundRedeliveryRoutes(MessageStore messages) {
    this.messages = messages;
  }

  @Override
  public void mount(Router router) {
    router.post(PATH).consumes("application/json").handler(this::redeliver);
  }

  private void redeliver(RoutingContext ctx) {
    Principal.of(ctx).requireAdmin();
    JsonObject body = Json.body(ctx);
    List<String> ids = List.of();
    Instant since = null;
    Instant until = null;
    if (body.getValue("message_ids") != null) {
      if (body.getValue("since") != null || body.getValue("until") != null) {
        throw DomainFailure.invalidField("message_ids", "and since/until are alternatives: send one of them");
      }
      ids = messageIds(body.getValue("message_ids"));
    } else if (body.getValue("since") != null) {
      since = timestamp(body, "since");
      until = body.getValue("until") == null ? Instant.now() : timestamp(body, "until");
      if (!until.isAfter(since)) {
        throw DomainFailure.invalidField("until", "must be later than since");
      }
    } else {
      throw DomainFailure.invalidField("message_ids", "or since is required");
    }
    messages.redeliverAbandoned(ids, since, until)
        .onSuccess(count -> {
          if (count > 0) {
            LeasedWorker.wake(ctx.vertx(), InboundDispatchWorker.NAME);
          }
          Json.respond(ctx, 202, new JsonObject().put("redelivered", count));
        })
        .onFailure(ctx::fail);
  }

  private static List<String> messageIds(Object value) {
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_IDS) {
      throw DomainFailure.invalidField("message_ids", "must be a list of 1 to " + MAX_IDS + " message ids");
    }
    List<String> ids = new ArrayList<>();
    for (Object id : array) {
      if (!(id instanceof String text) || text.isBlank()) {
        throw DomainFailure.invalidField("message_ids", "must hold message ids (non-empty strings)");
      }
      ids.add(text);
    }
    return ids;
  }

  private static Instant timestamp(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof String text)) {
      throw DomainFailure.invalidField(field, "must be an ISO-8601 timestamp such as 2026-12-01T08:00:00Z");
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw DomainFailure.invalidField(field, "must be an ISO-8601 timestamp such as 2026-12-01T08:00:00Z, not '" + text + "'");
    }
  }
}
