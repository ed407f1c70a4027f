package com.smsgateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.domain.DomainFailure;
import com.smsgateway.testing.EmbeddedServices;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.StandaloneRouter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The exact bytes of error bodies (DESIGN.md §3): code, message, then field, then the details in their order. */
class ErrorBodyTest {
  private static Vertx vertx;
  private static Http http;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    int port = EmbeddedServices.freePort();
    Routes failing = router -> {
      router.get("/invalid-field").handler(ctx -> {
        throw DomainFailure.invalidField("to_number", "is required");
      });
      router.get("/limited").handler(ctx -> ctx.fail(new DomainFailure(DomainFailure.Kind.LIMITED, "segment_limit_exceeded", "Over.", null,
          new JsonObject().put("limit", "daily_total").put("retry_at", Instant.EPOCH.toString()).put("brand_id", "b1").put("remaining", 3))));
      router.get("/field-and-details").handler(ctx -> ctx.fail(new DomainFailure(DomainFailure.Kind.INVALID, "missing_template_variable",
          "Needs 'time'.", "variables", new JsonObject().put("template_id", "t").put("variable", "time"))));
      router.get("/upstream").handler(ctx -> ctx.fail(new DomainFailure(DomainFailure.Kind.UPSTREAM_FAILED, "webhook_unreachable", "Down.")));
    };
    vertx.createHttpServer()
        .requestHandler(StandaloneRouter.create(vertx, RoutingContext::next, new SimpleMeterRegistry(), List.of(failing)))
        .listen(port, "127.0.0.1")
        .await();
    http = new Http(port);
  }

  @AfterAll
  static void stop() {
    http.close();
    vertx.close().await();
  }

  @Test
  void anInvalidFieldIs422NamingTheFieldLast() {
    var response = http.get("/invalid-field", null);

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.bodyAsString())
        .isEqualTo("{\"error\":{\"code\":\"invalid_field\",\"message\":\"'to_number' is required\",\"field\":\"to_number\"}}");
  }

  @Test
  void aLimitIs429WithItsDetailsInOrder() {
    var response = http.get("/limited", null);

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.bodyAsString()).isEqualTo("{\"error\":{\"code\":\"segment_limit_exceeded\",\"message\":\"Over.\","
        + "\"limit\":\"daily_total\",\"retry_at\":\"1970-01-01T00:00:00Z\",\"brand_id\":\"b1\",\"remaining\":3}}");
  }

  @Test
  void theFieldComesBeforeTheDetails() {
    var response = http.get("/field-and-details", null);

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.bodyAsString()).isEqualTo("{\"error\":{\"code\":\"missing_template_variable\",\"message\":\"Needs 'time'.\","
        + "\"field\":\"variables\",\"template_id\":\"t\",\"variable\":\"time\"}}");
  }

  @Test
  void anUpstreamFailureIs502() {
    var response = http.get("/upstream", null);

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("webhook_unreachable");
  }
}
