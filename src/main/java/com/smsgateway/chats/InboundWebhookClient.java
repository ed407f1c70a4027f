package com.smsgateway.chats;

import com.smsgateway.webhooks.GatewaySignature;
import com.smsgateway.webhooks.WebhookSecrets;
import com.smsgateway.webhooks.WebhookUrlGuard;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;

/**
 * Asks a number's inbound webhook about a new chat: {@code POST {event: "chat_inbound", chat_inbound: {agent_id,
 * from_number, to_number, body, media}}}, signed with the workspace's webhook secret when it has one. The URL is
 * checked again before each call and the request goes to the address that was checked ({@link WebhookUrlGuard}).
 */
final class InboundWebhookClient {
  /** What the webhook decided; null fields: not given. */
  record Decision(boolean reject, String overrideAgentId, JsonObject dynamicVariables, JsonObject metadata) {
    static final Decision ACCEPT = new Decision(false, null, null, null);
  }

  private final WebClient client;
  private final WebhookUrlGuard guard;
  private final WebhookSecrets secrets;
  private final ChatsConfig config;
  private final ChatMetrics metrics;
  private final Clock clock;

  InboundWebhookClient(WebClient client, WebhookUrlGuard guard, WebhookSecrets secrets, ChatsConfig config, ChatMetrics metrics,
                       Clock clock) {
    this.client = client;
    this.guard = guard;
    this.secrets = secrets;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** One try. Fails on a refused URL, a timeout, a non-2xx answer or an answer in another shape. */
  Future<Decision> ask(String url, Chat chat, ChatMessage firstText) {
    Buffer body = new JsonObject()
        .put("event", "chat_inbound")
        .put("chat_inbound", new JsonObject()
            .put("agent_id", chat.agentId())
            .put("from_number", chat.customerNumber())
            .put("to_number", chat.agentNumber())
            .put("body", firstText.content())
            .put("media", firstText.media()))
        .toBuffer();
    long started = System.nanoTime();
    return guard.check("inbound_webhook_url", url)
        .compose(target -> secrets.find(chat.workspaceId()).compose(secret -> {
          HttpRequest<Buffer> request = target.address() == null
              ? client.request(HttpMethod.POST, target.port(), target.host(), target.requestUri())
              : client.request(HttpMethod.POST, SocketAddress.inetSocketAddress(target.port(), target.address().getHostAddress()),
                  target.port(), target.host(), target.requestUri());
          request.ssl(target.ssl())
              .timeout(config.webhookTimeout().toMillis())
              .putHeader("Content-Type", "application/json");
          secret.ifPresent(key -> request.putHeader(GatewaySignature.HEADER,
              GatewaySignature.header(key, clock.instant().getEpochSecond(), body.getBytes())));
          return request.sendBuffer(body);
        }))
        .compose(response -> response.statusCode() / 100 == 2
            ? Future.succeededFuture(parse(response.bodyAsString()))
            : Future.<Decision>failedFuture("inbound webhook answered HTTP " + response.statusCode()))
        .andThen(outcome -> metrics.webhookCall(outcome.succeeded(), System.nanoTime() - started));
  }

  /** An empty 2xx body accepts the chat as it is. */
  static Decision parse(String body) {
    if (body == null || body.isBlank()) {
      return Decision.ACCEPT;
    }
    JsonObject json;
    try {
      json = new JsonObject(body);
    } catch (RuntimeException e) {
      throw new IllegalStateException("inbound webhook answer is not a JSON object");
    }
    Object decision = json.getValue("chat_inbound");
    if (decision == null) {
      return Decision.ACCEPT;
    }
    if (!(decision instanceof JsonObject chatInbound)) {
      throw new IllegalStateException("inbound webhook answer: 'chat_inbound' must be an object");
    }
    Object agent = chatInbound.getValue("override_agent_id");
    Object variables = chatInbound.getValue("dynamic_variables");
    Object metadata = chatInbound.getValue("metadata");
    if ((agent != null && !(agent instanceof String)) || (variables != null && !(variables instanceof JsonObject))
        || (metadata != null && !(metadata instanceof JsonObject))) {
      throw new IllegalStateException("inbound webhook answer: override_agent_id must be a string, dynamic_variables and metadata objects");
    }
    String agentId = agent == null || ((String) agent).isBlank() ? null : (String) agent;
    return new Decision(Boolean.TRUE.equals(chatInbound.getValue("reject")), agentId, (JsonObject) variables, (JsonObject) metadata);
  }
}
