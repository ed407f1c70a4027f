package com.smsgateway.calls;

import com.smsgateway.logging.RequestIds;
import com.smsgateway.messages.Message;
import com.smsgateway.webhooks.GatewaySignature;
import com.smsgateway.work.JobContext;
import com.smsgateway.work.JobOutcome;
import com.smsgateway.work.LeasedWorker;
import com.smsgateway.work.WorkerSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands texts received during calls to the voice platform: {@code POST call_sessions.url} with the
 * {@code sms_received} event, signed ({@link GatewaySignature}). On the leased-work engine: it polls the queue
 * every {@code call_sessions.poll_interval} (retries, other replicas' work, expired leases) and is woken when this
 * replica queues a text ({@link #wake}). One delivery, answer body included, ends within {@code call_sessions.timeout}
 * (shorter than {@code call_sessions.lease}). A failed try is retried with backoff up to {@code call_sessions.max_attempts};
 * then the text is kept as {@code undelivered_to_call} and counted.
 */
public final class CallSessionDeliveryWorker extends LeasedWorker<CallSessionDeliveries.Claimed> {
  static final String NAME = "call_session_delivery";
  private static final Logger log = LoggerFactory.getLogger(CallSessionDeliveryWorker.class);
  private static final int MAX_ERROR_LENGTH = 500;

  private final CallSessionConfig config;
  private final String url;
  private final CallSessionDeliveries deliveries;
  private final Timer successfulAttempts;
  private final Timer failedAttempts;
  private final Counter delivered;
  private final Counter undelivered;
  private final Timer deliveryLatency;

  private HttpClientAgent client;

  CallSessionDeliveryWorker(CallSessionConfig config, String url, CallSessionDeliveries deliveries, MeterRegistry registry, Clock clock) {
    super(WorkerSettings.of(NAME, config.pollInterval(), false, config.batchSize(), config.lease(), "call_sessions.lease",
        config.timeout(), "call_sessions.timeout"), registry, clock);
    this.config = config;
    this.url = url;
    this.deliveries = deliveries;
    this.successfulAttempts = attempts(registry, "success");
    this.failedAttempts = attempts(registry, "failure");
    this.delivered = Counter.builder("gateway.call_sessions.messages").tag("outcome", "delivered")
        .description("Texts received during calls, by final outcome of their delivery to the call session").register(registry);
    this.undelivered = Counter.builder("gateway.call_sessions.messages").tag("outcome", "undelivered_to_call")
        .description("Texts received during calls, by final outcome of their delivery to the call session").register(registry);
    // Buckets include 5 s exactly: the SLO is 95 % delivered within 5 s (docs/slo.md).
    this.deliveryLatency = Timer.builder("gateway.call_sessions.delivery_latency")
        .description("From a text's arrival at the gateway to its delivery to the call session")
        .serviceLevelObjectives(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5))
        .register(registry);
  }

  private static Timer attempts(MeterRegistry registry, String outcome) {
    return Timer.builder("gateway.call_sessions.attempts")
        .description("POSTs of texts to the voice platform, by outcome (success: 2xx; failure: anything else)")
        .tag("outcome", outcome)
        .register(registry);
  }

  /** Asks this replica's deliverer to look for work now (call after the text's transaction committed). */
  public static void wake(Vertx vertx) {
    LeasedWorker.wake(vertx, NAME);
  }

  @Override
  public Future<?> start() {
    client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) config.timeout().toMillis()));
    return super.start();
  }

  @Override
  public Future<?> stop() {
    return super.stop().eventually(() -> client.close());
  }

  @Override
  protected Future<List<CallSessionDeliveries.Claimed>> claim(String owner, int limit) {
    return deliveries.claim(owner, limit, settings.lease(), config.orderWait());
  }

  /** Something was delivered or failed: the next text of those calls may be due now. */
  @Override
  protected boolean drainAgainAfter(int claimed) {
    return claimed > 0;
  }

  /** One try; a failure is recorded (retry or undelivered), so one text's trouble does not stop the others. */
  @Override
  protected Future<JobOutcome> process(CallSessionDeliveries.Claimed text, JobContext context) {
    long started = System.nanoTime();
    return post(text, context)
        .transform(outcome -> {
          (outcome.succeeded() ? successfulAttempts : failedAttempts).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
          return outcome.succeeded() ? recordDelivered(text, context.owner()) : recordFailure(text, context.owner(), outcome.cause().getMessage());
        })
        .recover(e -> {
          log.warn("Call-session delivery of {} (call {}): recording the outcome failed: {}", text.messageId(), text.callId(), e.getMessage());
          return Future.succeededFuture(JobOutcome.ERROR);
        });
  }

  /** The whole exchange, answer body included; aborted (the request reset) when the job's deadline passes. */
  private Future<Void> post(CallSessionDeliveries.Claimed text, JobContext context) {
    Buffer body = new JsonObject()
        .put("event", "sms_received")
        .put("call_id", text.callId())
        .put("workspace_id", text.text().workspaceId())
        .put("message_id", text.messageId())
        .put("from_number", text.text().fromNumber())
        .put("to_number", text.text().toNumber())
        .put("body", text.text().body())
        .put("media", Message.mediaJson(text.text().media()))
        .put("received_at", text.receivedAt().toString())
        .toBuffer();
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(url)
        .putHeader("Content-Type", "application/json")
        .putHeader("User-Agent", "sms-gateway")
        .putHeader(RequestIds.HEADER, RequestIds.forOutgoingCall())
        .putHeader(GatewaySignature.HEADER, GatewaySignature.header(config.secret(), clock.instant().getEpochSecond(), body.getBytes()));
    Promise<Void> answered = Promise.promise();
    context.aborted().onSuccess(reason -> answered.tryFail(new TimeoutException("no complete answer within " + config.timeout())));
    client.request(request)
        .compose(sent -> {
          context.aborted().onSuccess(reason -> sent.reset(0, new TimeoutException(reason)));
          return sent.send(body);
        })
        .compose(response -> response.body().compose(read -> response.statusCode() / 100 == 2
            ? Future.<Void>succeededFuture()
            : Future.<Void>failedFuture("HTTP " + response.statusCode())))
        .onComplete(outcome -> {
          if (outcome.succeeded()) {
            answered.tryComplete();
          } else {
            answered.tryFail(outcome.cause());
          }
        });
    return answered.future();
  }

  private Future<JobOutcome> recordDelivered(CallSessionDeliveries.Claimed text, String owner) {
    return deliveries.delivered(text.messageId(), owner).map(recorded -> {
      if (!recorded) {
        return JobOutcome.LEASE_LOST;
      }
      delivered.increment();
      deliveryLatency.record(Duration.between(text.receivedAt(), clock.instant()));
      return JobOutcome.DONE;
    });
  }

  private Future<JobOutcome> recordFailure(CallSessionDeliveries.Claimed text, String owner, String reason) {
    String error = reason == null ? "unknown error" : reason.substring(0, Math.min(reason.length(), MAX_ERROR_LENGTH));
    if (text.attempt() < config.maxAttempts()) {
      return deliveries.retryLater(text.messageId(), owner, config.backoff().delay(text.attempt()), error)
          .map(recorded -> recorded ? JobOutcome.RETRY : JobOutcome.LEASE_LOST);
    }
    log.warn("Text {} of call {} could not be delivered to the call session after {} tries: {}",
        text.messageId(), text.callId(), text.attempt(), error);
    return deliveries.undelivered(text.messageId(), owner, error).map(recorded -> {
      if (!recorded) {
        return JobOutcome.LEASE_LOST;
      }
      undelivered.increment();
      return JobOutcome.GAVE_UP;
    });
  }
}
