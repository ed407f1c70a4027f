package com.smsgateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.http.Routes;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.EmbeddedServices;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {

  @Test
  void anInFlightRequestCompletesWhileTheVerticlesUndeploy() throws Exception {
    CountDownLatch requestArrived = new CountDownLatch(1);
    Promise<String> release = Promise.promise();
    Routes slowRoute = router -> router.get("/test/slow").handler(ctx -> {
      requestArrived.countDown();
      release.future().onSuccess(body -> ctx.response().end(body));
    });
    Gateway gateway = Await.result(TestGateway.forClass(GracefulShutdownTest.class, slowRoute).start());
    int port = gateway.port();

    try (Http http = new Http(port)) {
      var inFlight = http.request(HttpMethod.GET, "/test/slow").send();
      assertThat(requestArrived.await(30, TimeUnit.SECONDS)).isTrue();

      var stopped = gateway.stop();
      Await.until("the server stops accepting new connections", () -> !EmbeddedServices.answers("127.0.0.1", port));
      assertThat(stopped.isComplete()).as("shutdown waits for the in-flight request").isFalse();
      release.complete("finished");

      var response = Await.result(inFlight);
      Await.result(stopped);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsString()).isEqualTo("finished");
    }
  }

  @Test
  void readinessGoesDownBeforeTheServerStopsAccepting() {
    Gateway gateway = Await.result(TestGateway.forClass(GracefulShutdownTest.class)
        .with("GATEWAY_SHUTDOWN_READINESS_GRACE", "2s")
        .start());
    try (Http http = new Http(gateway.port())) {
      assertThat(http.get("/health/ready", null).statusCode()).isEqualTo(200);

      var stopped = gateway.stop();
      var ready = http.get("/health/ready", null);

      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.bodyAsJsonObject().getJsonObject("error").getString("message")).contains("shutting down");
      Await.result(stopped);
    }
  }
}
