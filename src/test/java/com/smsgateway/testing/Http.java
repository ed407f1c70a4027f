package com.smsgateway.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.TimeUnit;

/** A small blocking HTTP client for tests: each call waits for the response (tests run off the event loop). */
public final class Http implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 30;
  private final Vertx vertx;
  private final WebClient client;

  public Http(int port) {
    this.vertx = Vertx.vertx();
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  public HttpRequest<Buffer> request(io.vertx.core.http.HttpMethod method, String path) {
    return client.request(method, path);
  }

  public HttpResponse<Buffer> get(String path, String apiKey) {
    return send(withKey(client.get(path), apiKey), null);
  }

  public HttpResponse<Buffer> delete(String path, String apiKey) {
    return send(withKey(client.delete(path), apiKey), null);
  }

  public HttpResponse<Buffer> postJson(String path, String apiKey, JsonObject body) {
    return send(withKey(client.post(path), apiKey).putHeader("Content-Type", "application/json"), body.toBuffer());
  }

  public HttpResponse<Buffer> putJson(String path, String apiKey, JsonObject body) {
    return send(withKey(client.put(path), apiKey).putHeader("Content-Type", "application/json"), body.toBuffer());
  }

  public HttpResponse<Buffer> post(String path, String apiKey, String contentType, Buffer body) {
    return send(withKey(client.post(path), apiKey).putHeader("Content-Type", contentType), body);
  }

  public static HttpResponse<Buffer> send(HttpRequest<Buffer> request, Buffer body) {
    try {
      return (body == null ? request.send() : request.sendBuffer(body)).await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("No response within " + TIMEOUT_SECONDS + " s", e);
    }
  }

  private static HttpRequest<Buffer> withKey(HttpRequest<Buffer> request, String apiKey) {
    return apiKey == null ? request : request.putHeader("Authorization", "Bearer " + apiKey);
  }

  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    client.close();
    vertx.close();
  }
}
