package com.smsgateway.logging;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * The request id ({@value #HEADER}) of the work at hand: taken from the request when it carries a sane one (else
 * generated), returned on the response, written on every log line about it ({@link RequestIdLogging}), and sent on
 * the gateway's own calls to Twilio, the voice platform and chat agents.
 *
 * <p>Vert.x handles each HTTP request on a duplicated context, whose locals follow every callback of that request; the
 * id lives there. Blocking calls on other threads (the Twilio SDK on virtual threads) carry it with
 * {@link #runWith}. Background work (sends, deliveries) not started by a request gets a fresh id per call.
 */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  /** Printable, no spaces or quotes, at most 128 characters: anything else from a client is replaced. */
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");
  private static final String KEY = "sms-gateway.request-id";
  private static final ThreadLocal<String> ON_THREAD = new ThreadLocal<>();

  private RequestIds() {}

  /** The edge's first handler: adopts or generates the id, returns it on the response, keeps it for the request. */
  public static Handler<RoutingContext> handler() {
    return ctx -> {
      String offered = ctx.request().getHeader(HEADER);
      String id = offered != null && SANE.matcher(offered).matches() ? offered : generate();
      ctx.put(KEY, id);
      ctx.response().putHeader(HEADER, id);
      if (Vertx.currentContext() instanceof ContextInternal context && context.isDuplicate()) {
        context.putLocal(KEY, id);
      }
      ctx.next();
    };
  }

  /** The id of the request being handled on this thread, if any. */
  public static Optional<String> current() {
    String onThread = ON_THREAD.get();
    if (onThread != null) {
      return Optional.of(onThread);
    }
    Context context = Vertx.currentContext();
    if (context instanceof ContextInternal internal && internal.isDuplicate()) {
      return Optional.ofNullable(internal.getLocal(KEY));
    }
    return Optional.empty();
  }

  /** The id to send on an outgoing call: the current request's, or a fresh one for background work. */
  public static String forOutgoingCall() {
    return current().orElseGet(RequestIds::generate);
  }

  /** Runs {@code work} on this (non-Vert.x) thread as part of request {@code id}: its log lines and calls carry it. */
  public static <T> T runWith(String id, Callable<T> work) throws Exception {
    String previous = ON_THREAD.get();
    ON_THREAD.set(id);
    try {
      return work.call();
    } finally {
      if (previous == null) {
        ON_THREAD.remove();
      } else {
        ON_THREAD.set(previous);
      }
    }
  }

  private static String generate() {
    return UUID.randomUUID().toString();
  }
}
