package com.smsgateway.twilio;

import com.smsgateway.config.Config;
import com.smsgateway.domain.DomainFailure;
import com.smsgateway.metrics.CounterFamily;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * The gate in front of every Twilio webhook ({@code /twilio/*}): form-encoded only (415), bounded in bytes and
 * fields (413), and signed by the account named in {@code AccountSid} (403 otherwise, counted by reason). The
 * signed URL is the configured public URL plus the request's path and query, never the Host header. On success
 * the verified account is in the context ({@link #account}).
 */
public final class TwilioWebhookVerifier implements Handler<RoutingContext> {
  private static final String ACCOUNT_KEY = "twilio.verified-account";
  private static final String FORM = "application/x-www-form-urlencoded";

  /** Twilio's own webhooks are small; the bounds keep a forged flood cheap to refuse. */
  public record Limits(int maxBodyBytes, int maxFields) {
    public static Limits from(Config config) {
      Config webhooks = config.at("twilio.webhooks");
      return new Limits(
          webhooks.integer("max_body_bytes", 64 * 1024, 1024, 1024 * 1024),
          webhooks.integer("max_fields", 256, 16, 10_000));
    }
  }

  private final TwilioAccounts accounts;
  private final String publicBaseUrl;
  private final Limits limits;
  private final CounterFamily rejected;
  private final String endpoint;

  /** {@code endpoint} names the webhook in metrics ({@code messages}, {@code status}). */
  public TwilioWebhookVerifier(TwilioAccounts accounts, String publicBaseUrl, Limits limits, MeterRegistry registry, String endpoint) {
    this.accounts = accounts;
    this.publicBaseUrl = publicBaseUrl;
    this.limits = limits;
    this.rejected = CounterFamily.of(registry, "gateway.twilio.webhooks.rejected",
        "Twilio webhooks refused before processing, by endpoint and reason", null, "endpoint", "reason");
    this.endpoint = endpoint;
  }

  public static TwilioAccount account(RoutingContext ctx) {
    return ctx.get(ACCOUNT_KEY);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String contentType = ctx.request().getHeader("Content-Type");
    if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith(FORM)) {
      reject(ctx, new DomainFailure(DomainFailure.Kind.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "Twilio webhooks are " + FORM + "."), "content_type");
      return;
    }
    if (ctx.body() != null && ctx.body().length() > limits.maxBodyBytes()) {
      reject(ctx, new DomainFailure(DomainFailure.Kind.TOO_LARGE, "payload_too_large", "A webhook body may be at most " + limits.maxBodyBytes() + " bytes."), "too_large");
      return;
    }
    MultiMap form = ctx.request().formAttributes();
    if (form.entries().size() > limits.maxFields()) {
      reject(ctx, new DomainFailure(DomainFailure.Kind.TOO_LARGE, "too_many_fields", "A webhook may carry at most " + limits.maxFields() + " fields."), "too_many_fields");
      return;
    }
    String signature = ctx.request().getHeader(TwilioSignature.HEADER);
    if (signature == null || signature.isBlank()) {
      reject(ctx, DomainFailure.forbidden("missing_signature", "X-Twilio-Signature is required."), "missing_signature");
      return;
    }
    String accountSid = form.get("AccountSid");
    accounts.find(accountSid == null ? "" : accountSid).onComplete(found -> {
      if (found.failed()) {
        ctx.fail(found.cause());
      } else if (found.result().isEmpty()) {
        reject(ctx, DomainFailure.forbidden("unknown_account", "The AccountSid is not an account of this gateway."), "unknown_account");
      } else if (!TwilioSignature.matches(found.result().get().authToken(), publicBaseUrl + ctx.request().uri(), form, signature)) {
        reject(ctx, DomainFailure.forbidden("invalid_signature", "X-Twilio-Signature does not match this request."), "invalid_signature");
      } else {
        ctx.put(ACCOUNT_KEY, found.result().get());
        ctx.next();
      }
    });
  }

  private void reject(RoutingContext ctx, DomainFailure error, String reason) {
    rejected.with(endpoint, reason).increment();
    ctx.fail(error);
  }
}
