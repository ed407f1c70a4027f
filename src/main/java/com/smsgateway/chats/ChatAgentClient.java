package com.smsgateway.chats;

import com.smsgateway.webhooks.GatewaySignature;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the chat agent for a turn: {@code POST chat_agents.url}, signed with {@code chat_agents.secret}
 * ({@link GatewaySignature}), expecting {@code {responses: [{content}], end_chat}}. A timeout, a non-2xx answer or an
 * answer in another shape fails the try.
 */
final class ChatAgentClient {
  /** The agent's turn: texts to send in order, and whether the chat ends after them. */
  record Answer(List<String> responses, boolean endChat) {}

  private final WebClient client;
  private final ChatsConfig config;
  private final ChatMetrics metrics;
  private final Clock clock;

  ChatAgentClient(WebClient client, ChatsConfig config, ChatMetrics metrics, Clock clock) {
    this.client = client;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
  }

  Future<Answer> ask(Chat chat, List<ChatMessage> history) {
    JsonArray messages = new JsonArray(history.stream().map(ChatMessage::toAgentJson).toList());
    Buffer body = new JsonObject()
        .put("chat_id", chat.id())
        .put("agent_id", chat.agentId())
        .put("workspace_id", chat.workspaceId())
        .put("customer_number", chat.customerNumber())
        .put("agent_number", chat.agentNumber())
        .put("messages", messages)
        .put("dynamic_variables", chat.dynamicVariables())
        .put("metadata", chat.metadata())
        .toBuffer();
    long started = System.nanoTime();
    return client.postAbs(config.agentUrl().orElseThrow())
        .timeout(config.agentTimeout().toMillis())
        .putHeader("Content-Type", "application/json")
        .putHeader(GatewaySignature.HEADER, GatewaySignature.header(config.agentSecret(), clock.instant().getEpochSecond(), body.getBytes()))
        .sendBuffer(body)
        .compose(response -> response.statusCode() / 100 == 2
            ? Future.succeededFuture(parse(response.bodyAsString()))
            : Future.<Answer>failedFuture("chat agent answered HTTP " + response.statusCode()))
        .andThen(outcome -> metrics.agentCall(outcome.succeeded(), System.nanoTime() - started));
  }

  static Answer parse(String body) {
    JsonObject json;
    try {
      json = new JsonObject(body == null ? "" : body);
    } catch (RuntimeException e) {
      throw new IllegalStateException("chat agent answer is not a JSON object");
    }
    Object responses = json.getValue("responses", new JsonArray());
    if (!(responses instanceof JsonArray array)) {
      throw new IllegalStateException("chat agent answer: 'responses' must be a list");
    }
    List<String> texts = new ArrayList<>();
    for (Object response : array) {
      if (!(response instanceof JsonObject item) || !(item.getValue("content") instanceof String content)) {
        throw new IllegalStateException("chat agent answer: every response must be {\"content\": \"text\"}");
      }
      if (!content.isBlank()) {
        texts.add(content);
      }
    }
    Object endChat = json.getValue("end_chat", false);
    if (!(endChat instanceof Boolean end)) {
      throw new IllegalStateException("chat agent answer: 'end_chat' must be true or false");
    }
    return new Answer(texts, end);
  }
}
