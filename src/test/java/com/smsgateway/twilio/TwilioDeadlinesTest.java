package com.smsgateway.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.config.Config;
import com.smsgateway.dependency.DependencyHealth;
import com.smsgateway.domain.DomainFailure;
import com.smsgateway.testing.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Twilio that answers its headers at once and then trickles its body forever: one request still ends at
 * {@code twilio.request_timeout}, and requests beyond {@code twilio.max_concurrent_requests} wait at most
 * {@code twilio.max_queue_wait} before they fail as 503 {@code dependency_unavailable}.
 */
class TwilioDeadlinesTest {
  private static final TwilioAccount ACCOUNT = new TwilioAccount("AC11111111111111111111111111111111", "token-1");
  private static Vertx vertx;
  private static HttpServer trickling;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    trickling = vertx.createHttpServer().requestHandler(request -> {
      var response = request.response().setChunked(true).putHeader("Content-Type", "application/json");
      response.write("{");
      long timer = vertx.setPeriodic(200, tick -> response.write(" "));
      request.connection().closeHandler(closed -> vertx.cancelTimer(timer));
    });
    Await.result(trickling.listen(0, "127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  private static TwilioApi api(String maxConcurrent, String maxQueueWait) {
    return api(maxConcurrent, maxQueueWait, new SimpleMeterRegistry());
  }

  private static TwilioApi api(String maxConcurrent, String maxQueueWait, SimpleMeterRegistry registry) {
    TwilioConfig config = TwilioConfig.from(Config.fromYaml("", Map.of(
        "GATEWAY_PUBLIC_BASE_URL", "http://gateway.test",
        "GATEWAY_TWILIO_MODE", "live",
        "GATEWAY_TWILIO_ACCOUNT_SID", ACCOUNT.accountSid(),
        "GATEWAY_TWILIO_AUTH_TOKEN", ACCOUNT.authToken(),
        "GATEWAY_TWILIO_API_BASE_URL", "http://127.0.0.1:" + trickling.actualPort(),
        "GATEWAY_TWILIO_REQUEST_TIMEOUT", "1s",
        "GATEWAY_TWILIO_RETRY_MAX_ATTEMPTS", "1",
        "GATEWAY_TWILIO_MAX_CONCURRENT_REQUESTS", maxConcurrent,
        "GATEWAY_TWILIO_MAX_QUEUE_WAIT", maxQueueWait)));
    return TwilioApi.create(vertx, config, registry, new DependencyHealth(registry));
  }

  private static Throwable failureOf(Future<?> call) {
    try {
      call.await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void aTricklingAnswerEndsAtTheRequestDeadline() {
    try (TwilioApi api = api("4", "1s")) {
      Throwable failure = failureOf(api.lookupCarrier(ACCOUNT, "+14155550100"));

      assertThat(failure).isInstanceOf(TwilioApiException.class).hasMessageContaining("did not complete within");
      assertThat(((TwilioApiException) failure).ioFailure()).isTrue();
    }
  }

  @Test
  void aRequestBeyondTheConcurrencyBoundWaitsBrieflyThenIs503() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TwilioApi api = api("1", "100ms", registry)) {
      Future<?> first = api.lookupCarrier(ACCOUNT, "+14155550100");
      // The first request holds the only permit before the second asks (its virtual thread may start late on a busy machine).
      long holding = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (registry.get("gateway.twilio.api.in_flight").gauge().value() < 1 && System.nanoTime() < holding) {
        Thread.onSpinWait();
      }

      Throwable second = failureOf(api.lookupCarrier(ACCOUNT, "+14155550101"));

      assertThat(second).isInstanceOf(DomainFailure.class);
      assertThat(((DomainFailure) second).code()).isEqualTo("dependency_unavailable");
      assertThat(((DomainFailure) second).details().getString("dependency")).isEqualTo("twilio");
      assertThat(failureOf(first)).isInstanceOf(TwilioApiException.class);
    }
  }
}
