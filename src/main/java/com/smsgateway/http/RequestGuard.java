package com.smsgateway.http;

import com.smsgateway.domain.DomainFailure;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The first handler of every request: a request line the router cannot decode (bad percent-encoding, an encoded NUL)
 * is 400 {@code malformed_path} here rather than a decoding exception deep in a route. {@link #invalidRequest} answers
 * what the HTTP decoder itself refused (oversize headers or request line, garbage) in the common error format.
 */
public final class RequestGuard implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    if (!wellEncoded(ctx.request().uri())) {
      ctx.fail(DomainFailure.malformed("malformed_path",
          "The path or query has an invalid percent-encoding or an encoded NUL; encode '%' as %25."));
      return;
    }
    ctx.next();
  }

  /** Every '%' starts two hex digits, and none encodes NUL (which no text column can hold). */
  static boolean wellEncoded(String uri) {
    if (uri == null) {
      return false;
    }
    for (int i = uri.indexOf('%'); i >= 0; i = uri.indexOf('%', i + 1)) {
      if (i + 2 >= uri.length() || Character.digit(uri.charAt(i + 1), 16) < 0 || Character.digit(uri.charAt(i + 2), 16) < 0
          || (uri.charAt(i + 1) == '0' && uri.charAt(i + 2) == '0')) {
        return false;
      }
    }
    return uri.indexOf('\0') < 0;
  }

  /** For {@code HttpServer.invalidRequestHandler}: the status Vert.x would send, with a JSON body, then close. */
  public static void invalidRequest(HttpServerRequest request) {
    DecoderResult result = request.decoderResult();
    Throwable cause = result == null ? null : result.cause();
    int status;
    String code;
    String message;
    if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      code = "headers_too_large";
      message = "The request headers are too large.";
    } else if (cause instanceof TooLongHttpLineException) {
      status = 414;
      code = "uri_too_long";
      message = "The request line is too long.";
    } else {
      status = 400;
      code = "bad_request";
      message = "The request could not be parsed as HTTP.";
    }
    JsonObject body = new JsonObject().put("error", new JsonObject().put("code", code).put("message", message));
    request.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
        .end(body.encode())
        .onComplete(ended -> request.connection().close());
  }
}
