package com.smsgateway.sandbox;

import com.smsgateway.twilio.TwilioAccount;
import com.smsgateway.twilio.TwilioSignature;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The webhooks Twilio would send, signed with the account's auth token as Twilio signs them. */
final class SandboxWebhooks {
  private static final Logger log = LoggerFactory.getLogger(SandboxWebhooks.class);
  private static final List<String> DELIVERY_STATUSES = List.of("queued", "sent", "delivered");

  private final Vertx vertx;
  private final WebClient client;
  private final long callbackDelayMillis;

  SandboxWebhooks(Vertx vertx, Duration callbackDelay, int connections) {
    this.vertx = vertx;
    // Twilio waits at most 15 s for a webhook's answer.
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000).setIdleTimeout(15),
        new PoolOptions().setHttp1MaxSize(connections));
    this.callbackDelayMillis = Math.max(1, callbackDelay.toMillis());
  }

  /**
   * Reports the message queued, then sent, then delivered to its status callback, one after the other with the
   * configured delay before each; {@code statusChanged} hears each status as it is reached. Like Twilio, a callback that fails is not retried and the next one still comes.
   */
  void reportDelivery(TwilioAccount account, String statusCallbackUrl, MultiMap message, Consumer<String> statusChanged) {
    Future<Void> chain = Future.succeededFuture();
    for (String status : DELIVERY_STATUSES) {
      MultiMap params = MultiMap.caseInsensitiveMultiMap().addAll(message).set("MessageStatus", status).set("SmsStatus", status);
      chain = chain
          .compose(previous -> vertx.timer(callbackDelayMillis))
          .andThen(fired -> statusChanged.accept(status))
          .compose(fired -> postSigned(account, statusCallbackUrl, params))
          .map(response -> {
            if (response.statusCode() >= 300) {
              log.warn("Sandbox status callback '{}' for {} answered HTTP {}", status, message.get("MessageSid"), response.statusCode());
            }
            return (Void) null;
          })
          .recover(failure -> {
            log.warn("Sandbox status callback '{}' for {} to {} failed: {}", status, message.get("MessageSid"), statusCallbackUrl, failure.toString());
            return Future.succeededFuture();
          });
    }
  }

  /** POSTs the form with its {@code X-Twilio-Signature} over {@code url} and the parameters. */
  Future<HttpResponse<Buffer>> postSigned(TwilioAccount account, String url, MultiMap params) {
    return client.postAbs(url)
        .putHeader(TwilioSignature.HEADER, TwilioSignature.compute(account.authToken(), url, params))
        .sendForm(params);
  }
}
