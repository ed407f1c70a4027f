package com.smsgateway.dev;

import com.smsgateway.webhooks.GatewaySignature;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * The dev mode's chat agent: answers each turn at once with an echo of the customer's last text and the turn count,
 * after checking the gateway's {@code X-Gateway-Signature} (the way a real agent should). Also the stand-in agent of
 * the chats benchmark ({@code load-tests/chats}).
 */
public final class DemoChatAgent {
  private final String secret;

  public DemoChatAgent(String secret) {
    this.secret = secret;
  }

  /** Listens on {@code host:port} (0: any free port); answers the server. */
  public Future<HttpServer> listen(Vertx vertx, String host, int port) {
    return vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      String signature = request.getHeader(GatewaySignature.HEADER);
      if (!signedByGateway(signature, body.getBytes())) {
        request.response().setStatusCode(401).end();
        return;
      }
      request.response().putHeader("Content-Type", "application/json").end(answer(body.toJsonObject()).encode());
    })).listen(port, host);
  }

  static JsonObject answer(JsonObject turn) {
    JsonArray messages = turn.getJsonArray("messages", new JsonArray());
    String lastText = null;
    long agentTexts = 0;
    for (Object item : messages) {
      JsonObject message = (JsonObject) item;
      if ("user".equals(message.getString("role"))) {
        lastText = message.getString("content");
      } else {
        agentTexts++;
      }
    }
    String reply = lastText == null
        ? "Hi! This is the demo agent starting a conversation (turn 1). Reply with anything."
        : "You said: " + lastText + " (turn " + (agentTexts + 1) + ")";
    return new JsonObject().put("responses", new JsonArray().add(new JsonObject().put("content", reply))).put("end_chat", false);
  }

  private boolean signedByGateway(String header, byte[] body) {
    if (header == null || !header.startsWith("t=") || !header.contains(",v1=")) {
      return false;
    }
    long timestamp;
    try {
      timestamp = Long.parseLong(header.substring(2, header.indexOf(',')));
    } catch (NumberFormatException e) {
      return false;
    }
    byte[] expected = GatewaySignature.header(secret, timestamp, body).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8));
  }
}
