package com.smsgateway.http;

import com.smsgateway.domain.DomainFailure;
import com.smsgateway.twilio.TwilioConfig;
import com.smsgateway.twilio.TwilioWebhookVerifier;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Reads every request body, before authentication, within bounds the caller cannot stretch (instead of Vert.x's
 * {@code BodyHandler}, which hands every form to Netty's decoder):
 * <ul>
 *   <li>Form bodies are decoded only on the paths that take them (Twilio's webhooks and the sandbox's Twilio API),
 *       bounded in bytes and fields ({@link FormDecoder}); anywhere else a form or multipart body is 415 unread.</li>
 *   <li>Bytes are counted as they arrive: past the route's limit the request is 413 at once, nothing more buffered.</li>
 *   <li>A body must arrive within {@code bodyReadTimeout} (a trickling or endless body is 408-like 400).</li>
 *   <li>A response that goes out before the body was read carries {@code Connection: close}, so a keep-alive client
 *       does not send its next request into a connection the server is about to close.</li>
 * </ul>
 * The decoded form is put in {@code request.formAttributes()}, where handlers read it.
 */
public final class RequestBodyReader implements Handler<RoutingContext> {
  static final String FORM = "application/x-www-form-urlencoded";

  /** The paths that take form bodies: Twilio's webhooks, and the sandbox's stand-in of Twilio's API the SDK posts to. */
  public static final List<String> FORM_PATHS = List.of("/twilio/", TwilioConfig.SANDBOX_PATH + "/");

  /** Bounds of the form paths; {@code pathPrefixes} are the paths that take forms. */
  public record FormLimits(List<String> pathPrefixes, int maxBodyBytes, int maxFields) {}

  private final int maxBodyBytes;
  private final FormLimits forms;
  private final Duration bodyReadTimeout;

  public RequestBodyReader(int maxBodyBytes, FormLimits forms, Duration bodyReadTimeout) {
    this.maxBodyBytes = maxBodyBytes;
    this.forms = forms;
    this.bodyReadTimeout = bodyReadTimeout;
  }

  /** JSON bodies up to {@code maxBodyBytes}; forms on {@link #FORM_PATHS} within Twilio's webhook bounds. */
  public static RequestBodyReader create(int maxBodyBytes, Duration bodyReadTimeout, TwilioWebhookVerifier.Limits webhookLimits) {
    return new RequestBodyReader(maxBodyBytes,
        new FormLimits(FORM_PATHS, webhookLimits.maxBodyBytes(), webhookLimits.maxFields()), bodyReadTimeout);
  }

  @Override
  public void handle(RoutingContext ctx) {
    RoutingContextInternal internal = (RoutingContextInternal) ctx;
    if (internal.seenHandler(RoutingContextInternal.BODY_HANDLER)) {
      ctx.next();
      return;
    }
    internal.visitHandler(RoutingContextInternal.BODY_HANDLER);
    HttpServerRequest request = ctx.request();
    long contentLength = contentLength(request);
    boolean chunked = request.version() == HttpVersion.HTTP_2 || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    if (!chunked && contentLength <= 0) {
      ctx.next();
      return;
    }
    ctx.addHeadersEndHandler(v -> {
      if (!request.isEnded() && request.version() != HttpVersion.HTTP_2) {
        ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      }
    });
    String mediaType = mediaType(request);
    boolean formPath = forms.pathPrefixes().stream().anyMatch(prefix -> request.path().startsWith(prefix));
    boolean form = FORM.equals(mediaType);
    if (mediaType.startsWith("multipart/") || (form && !formPath)) {
      ctx.fail(new DomainFailure(DomainFailure.Kind.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
          "Content-Type '" + mediaType + "' is not accepted here; this API takes application/json (see /openapi.yaml)."));
      return;
    }
    int limit = formPath ? forms.maxBodyBytes() : maxBodyBytes;
    if (contentLength > limit) {
      ctx.fail(tooLarge(limit));
      return;
    }
    if (request.isEnded()) {
      ctx.fail(new IllegalStateException("The request body was consumed before it was read"));
      return;
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT)) && request.version() != HttpVersion.HTTP_1_0) {
      ctx.response().writeContinue();
    }
    new Reading(ctx, limit, form && formPath).start();
  }

  private final class Reading {
    private final RoutingContext ctx;
    private final int limit;
    private final boolean decodeForm;
    private final Buffer body = Buffer.buffer();
    private boolean done;
    private long timer;

    Reading(RoutingContext ctx, int limit, boolean decodeForm) {
      this.ctx = ctx;
      this.limit = limit;
      this.decodeForm = decodeForm;
    }

    void start() {
      HttpServerRequest request = ctx.request();
      timer = ctx.vertx().setTimer(Math.max(1, bodyReadTimeout.toMillis()), t -> fail(DomainFailure.malformed("body_read_timeout",
          "The request body did not arrive within " + bodyReadTimeout.toMillis() + " ms.")));
      request.exceptionHandler(e -> fail(DomainFailure.malformed("body_unreadable", "The request body could not be read.")));
      request.handler(chunk -> {
        if (done) {
          return;
        }
        if (body.length() + chunk.length() > limit) {
          fail(tooLarge(limit));
          return;
        }
        body.appendBuffer(chunk);
      });
      request.endHandler(v -> finish());
      request.resume();
    }

    private void finish() {
      if (done) {
        return;
      }
      done = true;
      ctx.vertx().cancelTimer(timer);
      if (decodeForm) {
        MultiMap fields;
        try {
          fields = FormDecoder.decode(body, forms.maxFields());
        } catch (DomainFailure refused) {
          ctx.fail(refused);
          return;
        }
        ctx.request().formAttributes().addAll(fields);
      }
      ((RoutingContextInternal) ctx).setBody(body);
      ctx.next();
    }

    private void fail(Throwable failure) {
      if (done) {
        return;
      }
      done = true;
      ctx.vertx().cancelTimer(timer);
      ctx.fail(failure);
    }
  }

  private static DomainFailure tooLarge(int limit) {
    return new DomainFailure(DomainFailure.Kind.TOO_LARGE, "payload_too_large",
        "The request body is larger than this route accepts (" + limit + " bytes).");
  }

  private static long contentLength(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The content type without parameters, lower case; empty when absent. */
  static String mediaType(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (header == null) {
      return "";
    }
    int semicolon = header.indexOf(';');
    return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }
}
