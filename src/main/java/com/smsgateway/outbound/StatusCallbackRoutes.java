package com.smsgateway.outbound;

import com.smsgateway.messages.MessageStore;
import com.smsgateway.messages.MessageStatus;
import com.smsgateway.http.Routes;
import com.smsgateway.twilio.TwilioWebhookVerifier;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /twilio/status}: Twilio's status callbacks for the texts we sent. Verified first; then the message's
 * status moves forward only (one atomic statement), and duplicates, late and unknown callbacks are answered 200
 * and counted, so Twilio never retries them.
 */
final class StatusCallbackRoutes implements Routes {
  private static final Logger log = LoggerFactory.getLogger(StatusCallbackRoutes.class);

  private final TwilioWebhookVerifier verifier;
  private final MessageStore store;
  private final OutboundMetrics metrics;

  StatusCallbackRoutes(TwilioWebhookVerifier verifier, MessageStore store, OutboundMetrics metrics) {
    this.verifier = verifier;
    this.store = store;
    this.metrics = metrics;
  }

  @Override
  public void mount(Router router) {
    router.post("/twilio/status").handler(verifier).handler(this::statusCallback);
  }

  private void statusCallback(RoutingContext ctx) {
    MultiMap form = ctx.request().formAttributes();
    String sid = form.get("MessageSid");
    String status = form.get("MessageStatus");
    Integer errorCode = errorCode(form.get("ErrorCode"));
    if (sid == null || status == null || !MessageStatus.KNOWN.contains(status)) {
      log.warn("Status callback without a known MessageSid/MessageStatus ignored: {} {}", sid, status);
      metrics.statusCallback("unknown_status");
      answer(ctx);
      return;
    }
    String applied = MessageStatus.applied(status, errorCode);
    store.applyStatusCallback(sid, applied, errorCode, form.get("ErrorMessage"))
        .onSuccess(outcome -> {
          switch (outcome) {
            case ADVANCED -> {
              metrics.statusCallback("advanced");
              if (MessageStatus.FINAL.contains(applied)) {
                metrics.finalStatus(applied, errorCode);
              }
            }
            case STALE -> metrics.statusCallback("stale");
            case UNKNOWN_SID -> {
              log.info("Status callback for unknown MessageSid {} ({})", sid, status);
              metrics.statusCallback("unknown_sid");
            }
          }
          answer(ctx);
        })
        .onFailure(ctx::fail);
  }

  private static Integer errorCode(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void answer(RoutingContext ctx) {
    ctx.response().setStatusCode(200).putHeader("Content-Type", "text/xml").end("<Response/>");
  }
}
