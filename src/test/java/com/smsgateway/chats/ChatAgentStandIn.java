package com.smsgateway.chats;

import com.smsgateway.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A local HTTP server standing in for the chat agent. By default it answers each turn with one text,
 * {@code "echo: <the customer's last text> (turn N)"}; a test may give a customer number its own behaviour. It records
 * every request and the most turns of one chat it ever ran at once.
 */
final class ChatAgentStandIn implements AutoCloseable {
  /** How the stand-in answers: a status (2xx: with {@code answer}), after {@code delayMillis}. */
  record Reply(int status, JsonObject answer, long delayMillis) {
    static Reply ok(JsonObject answer) {
      return new Reply(200, answer, 0);
    }
  }

  /** A request received: its JSON body and X-Gateway-Signature header. */
  record Received(JsonObject body, String rawBody, String signature) {
    String chatId() {
      return body.getString("chat_id");
    }

    List<JsonObject> messages() {
      return body.getJsonArray("messages").stream().map(JsonObject.class::cast).toList();
    }

    List<String> userTexts() {
      return messages().stream().filter(m -> "user".equals(m.getString("role"))).map(m -> m.getString("content")).toList();
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Function<Received, Reply>> byCustomer = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final AtomicInteger mostAtOnce = new AtomicInteger();

  ChatAgentStandIn() {
    server = Await.result(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      Received got = new Received(body.toJsonObject(), body.toString(), request.getHeader("X-Gateway-Signature"));
      received.add(got);
      AtomicInteger running = inFlight.computeIfAbsent(got.chatId(), id -> new AtomicInteger());
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      Reply reply = byCustomer.getOrDefault(got.body().getString("customer_number"), ChatAgentStandIn::echo).apply(got);
      Promise<Void> waited = Promise.promise();
      if (reply.delayMillis() > 0) {
        vertx.setTimer(reply.delayMillis(), t -> waited.complete());
      } else {
        waited.complete();
      }
      waited.future().onComplete(v -> {
        running.decrementAndGet();
        request.response().setStatusCode(reply.status()).putHeader("Content-Type", "application/json")
            .end(reply.answer() == null ? "{}" : reply.answer().encode());
      });
    })).listen(0, "127.0.0.1"));
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/chat-turn";
  }

  /** Answers turns of chats with {@code customer} this way. */
  void behaveFor(String customer, Function<Received, Reply> behaviour) {
    byCustomer.put(customer, behaviour);
  }

  List<Received> requestsFor(String customer) {
    return received.stream().filter(r -> customer.equals(r.body().getString("customer_number"))).toList();
  }

  int mostTurnsOfOneChatAtOnce() {
    return mostAtOnce.get();
  }

  static Reply echo(Received request) {
    List<String> texts = request.userTexts();
    String last = texts.isEmpty() ? "(first message)" : texts.get(texts.size() - 1);
    long turn = request.messages().stream().filter(m -> "agent".equals(m.getString("role"))).count() + 1;
    return Reply.ok(answer(false, "echo: " + last + " (turn " + turn + ")"));
  }

  static JsonObject answer(boolean endChat, String... texts) {
    JsonArray responses = new JsonArray();
    for (String text : texts) {
      responses.add(new JsonObject().put("content", text));
    }
    return new JsonObject().put("responses", responses).put("end_chat", endChat);
  }

  @Override
  public void close() {
    Await.result(vertx.close());
  }
}
