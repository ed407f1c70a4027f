package com.smsgateway.twilio;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for Twilio's API in tests: answers each request with the next scripted answer (or by closing
 * the connection) and records what it received.
 */
final class TwilioStub {
  record Received(String method, String path, String query, MultiMap headers, String body) {}

  private record Answer(int status, String body) {
    static final Answer DROP_CONNECTION = new Answer(-1, null);
  }

  private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  private TwilioStub(HttpServer server) {
    this.server = server;
  }

  static TwilioStub start(Vertx vertx) {
    HttpServer server = vertx.createHttpServer();
    TwilioStub stub = new TwilioStub(server);
    server.requestHandler(request -> request.body().onSuccess(body -> {
      stub.received.add(new Received(request.method().name(), request.path(), request.query(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body.toString()));
      Answer answer = stub.script.poll();
      if (answer == null) {
        request.response().setStatusCode(500).end("{\"code\": 20500, \"message\": \"the stub has no scripted answer\", \"status\": 500}");
      } else if (answer == Answer.DROP_CONNECTION) {
        request.connection().close();
      } else {
        request.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json").end(answer.body());
      }
    }));
    server.listen(0, "127.0.0.1").await();
    return stub;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  TwilioStub answer(int status, String body) {
    script.add(new Answer(status, body));
    return this;
  }

  TwilioStub twilioError(int status, int code, String message) {
    return answer(status, "{\"code\": " + code + ", \"message\": \"" + message + "\", \"more_info\": \"https://www.twilio.com/docs/errors/" + code + "\", \"status\": " + status + "}");
  }

  TwilioStub dropConnection() {
    script.add(Answer.DROP_CONNECTION);
    return this;
  }

  List<Received> received() {
    return received;
  }

  void reset() {
    script.clear();
    received.clear();
  }
}
