package com.smsgateway.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import io.vertx.core.net.HostAndPort;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A response whose end can be held back until its status and body are kept somewhere (see {@link Idempotency}): the
 * body is captured as it is written and, once {@link #beforeEnd} is set, {@code end} first hands status and body to
 * it and only then sends the response. So a client that saw the response can rely on its repeat being answered from
 * what was kept. Everything else is passed to the real response. {@link #capturing} installs it for the requests
 * that may need it (a {@code POST /v1/**} with an {@code Idempotency-Key}); the router's idempotency handler sets the hook.
 */
final class KeptResponse implements HttpServerResponse {

  /** What to do with a response before it is sent; the response goes out when the future completes, either way. */
  @FunctionalInterface
  interface BeforeEnd {
    Future<Void> keep(int status, Buffer body);
  }

  private final HttpServerResponse delegate;
  private final Buffer body = Buffer.buffer();
  private BeforeEnd beforeEnd;
  private boolean ending;

  private KeptResponse(HttpServerResponse delegate) {
    this.delegate = delegate;
  }

  /** The request as the router should see it: with a {@link KeptResponse} when its response may have to be kept. */
  static io.vertx.core.http.HttpServerRequest capturing(io.vertx.core.http.HttpServerRequest request) {
    if (request.method() != HttpMethod.POST || !request.path().startsWith("/v1/") || request.getHeader(Idempotency.HEADER) == null
        || !(request instanceof HttpServerRequestInternal internal)) {
      return request;
    }
    KeptResponse response = new KeptResponse(request.response());
    return new HttpServerRequestWrapper(internal) {
      @Override
      public HttpServerResponse response() {
        return response;
      }
    };
  }

  /** From now on, {@code end} runs {@code hook} before sending. */
  void beforeEnd(BeforeEnd hook) {
    this.beforeEnd = hook;
  }

  @Override
  public Future<Void> end(Buffer last) {
    if (beforeEnd == null || ending) {
      return delegate.end(last);
    }
    ending = true;
    Buffer whole = body.copy().appendBuffer(last);
    return beforeEnd.keep(delegate.getStatusCode(), whole).transform(kept -> delegate.end(last));
  }

  @Override
  public Future<Void> end() {
    return end(Buffer.buffer());
  }

  @Override
  public Future<Void> end(String chunk) {
    return end(Buffer.buffer(chunk, StandardCharsets.UTF_8.name()));
  }

  @Override
  public Future<Void> end(String chunk, String enc) {
    return end(Buffer.buffer(chunk, enc));
  }

  @Override
  public Future<Void> write(Buffer data) {
    body.appendBuffer(data);
    return delegate.write(data);
  }

  @Override
  public Future<Void> write(String chunk, String enc) {
    body.appendString(chunk, enc);
    return delegate.write(chunk, enc);
  }

  @Override
  public Future<Void> write(String chunk) {
    body.appendString(chunk, StandardCharsets.UTF_8.name());
    return delegate.write(chunk);
  }

  @Override
  public boolean ended() {
    return ending || delegate.ended();
  }

  // Everything below is passed on unchanged (fluent methods answer this wrapper).

  @Override
  public HttpServerResponse exceptionHandler(Handler<Throwable> handler) {
    delegate.exceptionHandler(handler);
    return this;
  }

  @Override
  public HttpServerResponse setWriteQueueMaxSize(int maxSize) {
    delegate.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return delegate.writeQueueFull();
  }

  @Override
  public HttpServerResponse drainHandler(Handler<Void> handler) {
    delegate.drainHandler(handler);
    return this;
  }

  @Override
  public int getStatusCode() {
    return delegate.getStatusCode();
  }

  @Override
  public HttpServerResponse setStatusCode(int statusCode) {
    delegate.setStatusCode(statusCode);
    return this;
  }

  @Override
  public String getStatusMessage() {
    return delegate.getStatusMessage();
  }

  @Override
  public HttpServerResponse setStatusMessage(String statusMessage) {
    delegate.setStatusMessage(statusMessage);
    return this;
  }

  @Override
  public HttpServerResponse setChunked(boolean chunked) {
    delegate.setChunked(chunked);
    return this;
  }

  @Override
  public boolean isChunked() {
    return delegate.isChunked();
  }

  @Override
  public MultiMap headers() {
    return delegate.headers();
  }

  @Override
  public HttpServerResponse putHeader(String name, String value) {
    delegate.putHeader(name, value);
    return this;
  }

  @Override
  public HttpServerResponse putHeader(CharSequence name, CharSequence value) {
    delegate.putHeader(name, value);
    return this;
  }

  @Override
  public HttpServerResponse putHeader(String name, Iterable<String> values) {
    delegate.putHeader(name, values);
    return this;
  }

  @Override
  public HttpServerResponse putHeader(CharSequence name, Iterable<CharSequence> values) {
    delegate.putHeader(name, values);
    return this;
  }

  @Override
  public MultiMap trailers() {
    return delegate.trailers();
  }

  @Override
  public HttpServerResponse putTrailer(String name, String value) {
    delegate.putTrailer(name, value);
    return this;
  }

  @Override
  public HttpServerResponse putTrailer(CharSequence name, CharSequence value) {
    delegate.putTrailer(name, value);
    return this;
  }

  @Override
  public HttpServerResponse putTrailer(String name, Iterable<String> values) {
    delegate.putTrailer(name, values);
    return this;
  }

  @Override
  public HttpServerResponse putTrailer(CharSequence name, Iterable<CharSequence> value) {
    delegate.putTrailer(name, value);
    return this;
  }

  @Override
  public HttpServerResponse closeHandler(Handler<Void> handler) {
    delegate.closeHandler(handler);
    return this;
  }

  @Override
  public HttpServerResponse endHandler(Handler<Void> handler) {
    delegate.endHandler(handler);
    return this;
  }

  @Override
  public Future<Void> writeHead() {
    return delegate.writeHead();
  }

  @Override
  public Future<Void> writeContinue() {
    return delegate.writeContinue();
  }

  @Override
  public Future<Void> writeEarlyHints(MultiMap headers) {
    return delegate.writeEarlyHints(headers);
  }

  @Override
  public Future<Void> sendFile(String filename, long offset, long length) {
    return delegate.sendFile(filename, offset, length);
  }

  @Override
  public Future<Void> sendFile(FileChannel channel, long offset, long length) {
    return delegate.sendFile(channel, offset, length);
  }

  @Override
  public Future<Void> sendFile(RandomAccessFile file, long offset, long length) {
    return delegate.sendFile(file, offset, length);
  }

  @Override
  public boolean closed() {
    return delegate.closed();
  }

  @Override
  public boolean headWritten() {
    return delegate.headWritten();
  }

  @Override
  public HttpServerResponse headersEndHandler(Handler<Void> handler) {
    delegate.headersEndHandler(handler);
    return this;
  }

  @Override
  public HttpServerResponse bodyEndHandler(Handler<Void> handler) {
    delegate.bodyEndHandler(handler);
    return this;
  }

  @Override
  public long bytesWritten() {
    return delegate.bytesWritten();
  }

  @Override
  public int streamId() {
    return delegate.streamId();
  }

  @Override
  public Future<HttpServerResponse> push(HttpMethod method, HostAndPort authority, String path, MultiMap headers) {
    return delegate.push(method, authority, path, headers);
  }

  @Override
  public Future<Void> reset(long code) {
    return delegate.reset(code);
  }

  @Override
  public Future<Void> writeCustomFrame(int type, int flags, Buffer payload) {
    return delegate.writeCustomFrame(type, flags, payload);
  }

  @Override
  public HttpServerResponse addCookie(Cookie cookie) {
    delegate.addCookie(cookie);
    return this;
  }

  @Override
  public Cookie removeCookie(String name, boolean invalidate) {
    return delegate.removeCookie(name, invalidate);
  }

  @Override
  public Set<Cookie> removeCookies(String name, boolean invalidate) {
    return delegate.removeCookies(name, invalidate);
  }

  @Override
  public Cookie removeCookie(String name, String domain, String path, boolean invalidate) {
    return delegate.removeCookie(name, domain, path, invalidate);
  }
}
