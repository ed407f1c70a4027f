package com.smsgateway.calls;

import com.smsgateway.webhooks.GatewaySignature;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands texts received during calls to the voice platform: {@code POST call_sessions.url} with the
 * {@code sms_received} event, signed ({@link GatewaySignature}). It polls the queue every
 * {@code call_sessions.poll_interval} (retries, other replicas' work, expired leases) and at once when this replica
 * queues a text ({@link #WAKE_ADDRESS}). A failed try is retried with backoff up to {@code call_sessions.max_attempts};
 * then the text is kept as {@code undelivered_to_call} and counted.
 */
public final class CallSessionDeliveryVerticle extends VerticleBase {
  /** Local event-bus address: a message here makes the verticle look for work now instead of at the next poll. */
  public static final String WAKE_ADDRESS = "gateway.call-sessions.wake";
  private static final Logger log = LoggerFactory.getLogger(CallSessionDeliveryVerticle.class);
  private static final int MAX_ERROR_LENGTH = 500;

  private final CallSessionConfig config;
  private final String url;
  private final CallSessionDeliveries deliveries;
  private final Clock clock;
  private final String owner = "replica-" + UUID.randomUUID();
  private final Timer.Builder attempts;
  private final Counter delivered;
  private final Counter undelivered;
  private final Timer deliveryLatency;
  private final MeterRegistry registry;

  private WebClient client;
  private MessageConsumer<Void> wakeups;
  private long pollTimer;
  private boolean draining;
  private boolean drainAgain;

  CallSessionDeliveryVerticle(CallSessionConfig config, String url, CallSessionDeliveries deliveries, MeterRegistry registry, Clock clock) {
    this.config = config;
    this.url = url;
    this.deliveries = deliveries;
    this.clock = clock;
    this.registry = registry;
    this.attempts = Timer.builder("gateway.call_sessions.attempts")
        .description("POSTs of texts to the voice platform, by outcome (success: 2xx; failure: anything else)");
    this.delivered = Counter.builder("gateway.call_sessions.messages").tag("outcome", "delivered")
        .description("Texts received during calls, by final outcome of their delivery to the call session").register(registry);
    this.undelivered = Counter.builder("gateway.call_sessions.messages").tag("outcome", "undelivered_to_call")
        .description("Texts received during calls, by final outcome of their delivery to the call session").register(registry);
    this.deliveryLatency = Timer.builder("gateway.call_sessions.delivery_latency")
        .description("From a text's arrival at the gateway to its delivery to the call session").register(registry);
  }

  @Override
  public Future<?> start() {
    client = WebClient.create(vertx, new WebClientOptions()
        .setConnectTimeout((int) config.timeout().toMillis())
        .setUserAgent("sms-gateway"));
    wakeups = vertx.eventBus().localConsumer(WAKE_ADDRESS, message -> drain());
    pollTimer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> drain());
    return wakeups.completion();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(pollTimer);
    client.close();
    return wakeups.unregister();
  }

  /** One drain at a time on this verticle's event loop; a wake-up during one asks for another right after. */
  private void drain() {
    if (draining) {
      drainAgain = true;
      return;
    }
    draining = true;
    drainAgain = false;
    deliveries.claim(owner, config.batchSize(), config.lease())
        .compose(batch -> Future.all(batch.stream().map(this::deliver).toList()).map(done -> !batch.isEmpty()))
        .onComplete(result -> {
          draining = false;
          if (result.failed()) {
            log.warn("Call-session delivery: claiming work failed: {}", result.cause().getMessage());
          } else if (result.result() || drainAgain) {
            // Something was delivered or failed: the next text of those calls may be due now.
            drain();
          }
        });
  }

  /** One try; never fails, so one text's trouble does not stop the others of the batch. */
  private Future<Void> deliver(CallSessionDeliveries.Claimed text) {
    Buffer body = new JsonObject()
        .put("event", "sms_received")
        .put("call_id", text.callId())
        .put("message_id", text.messageId())
        .put("from_number", text.fromNumber())
        .put("to_number", text.toNumber())
        .put("body", text.body())
        .put("media", text.media())
        .put("received_at", text.receivedAt().toString())
        .toBuffer();
    long started = System.nanoTime();
    return client.postAbs(url)
        .timeout(config.timeout().toMillis())
        .putHeader("Content-Type", "application/json")
        .putHeader(GatewaySignature.HEADER, GatewaySignature.header(config.secret(), clock.instant().getEpochSecond(), body.getBytes()))
        .sendBuffer(body)
        .compose(response -> response.statusCode() / 100 == 2
            ? Future.succeededFuture()
            : Future.failedFuture("HTTP " + response.statusCode()))
        .transform(outcome -> {
          attempts.tag("outcome", outcome.succeeded() ? "success" : "failure").register(registry)
              .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
          return outcome.succeeded() ? recordDelivered(text) : recordFailure(text, outcome.cause().getMessage());
        })
        .recover(e -> {
          log.warn("Call-session delivery of {} (call {}): recording the outcome failed: {}", text.messageId(), text.callId(), e.getMessage());
          return Future.succeededFuture();
        });
  }

  private Future<Void> recordDelivered(CallSessionDeliveries.Claimed text) {
    return deliveries.delivered(text.messageId(), owner).map(recorded -> {
      if (recorded) {
        delivered.increment();
        deliveryLatency.record(Duration.between(text.receivedAt(), clock.instant()));
      }
      return null;
    });
  }

  private Future<Void> recordFailure(CallSessionDeliveries.Claimed text, String reason) {
    String error = reason == null ? "unknown error" : reason.substring(0, Math.min(reason.length(), MAX_ERROR_LENGTH));
    if (text.attempt() < config.maxAttempts()) {
      return deliveries.retryLater(text.messageId(), owner, config.backoffAfter(text.attempt()), error).mapEmpty();
    }
    log.warn("Text {} of call {} could not be delivered to the call session after {} tries: {}",
        text.messageId(), text.callId(), text.attempt(), error);
    return deliveries.undelivered(text.messageId(), owner, error).map(recorded -> {
      if (recorded) {
        undelivered.increment();
      }
      return null;
    });
  }

  /** Asks this replica's deliverer to look for work now (call after the text's transaction committed). */
  public static void wake(Vertx vertx) {
    vertx.eventBus().send(WAKE_ADDRESS, null);
  }
}
