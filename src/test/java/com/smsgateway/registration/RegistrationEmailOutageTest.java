package com.smsgateway.registration;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Await;
import com.smsgateway.testing.EmbeddedServices;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A mail server that is down never blocks a decision: the email is retried with backoff, then kept as failed and counted. */
class RegistrationEmailOutageTest {
  @RegisterExtension
  static final RunningGateway running = new RunningGateway(TestGateway.forClass(RegistrationEmailOutageTest.class)
      .with("GATEWAY_SMTP_HOST", "127.0.0.1")
      .with("GATEWAY_SMTP_PORT", Integer.toString(EmbeddedServices.freePort()))
      .with("GATEWAY_SMTP_TLS", "none")
      .with("GATEWAY_SMTP_TIMEOUT", "1s")
      .with("GATEWAY_REGISTRATION_EMAIL_POLL_INTERVAL", "100ms")
      .with("GATEWAY_REGISTRATION_EMAIL_MAX_ATTEMPTS", "2")
      .with("GATEWAY_REGISTRATION_EMAIL_INITIAL_BACKOFF", "100ms")
      .with("GATEWAY_REGISTRATION_EMAIL_MAX_BACKOFF", "200ms"));

  @Test
  void aDecisionIsAppliedWhileItsEmailIsRetriedThenKeptAsFailed() {
    Http http = running.http();
    String key = http.postJson("/v1/api-keys", TestGateway.ADMIN_KEY, new JsonObject().put("role", "workspace").put("workspace_id", "ws_mail_down"))
        .bodyAsJsonObject().getString("key");
    String profile = http.postJson("/v1/business-profiles", key, RegistrationTest.profile("down@example.com")).bodyAsJsonObject().getString("id");

    var decided = http.postJson("/v1/registrations/business_profile/" + profile + "/review", TestGateway.ADMIN_KEY,
        new JsonObject().put("decision", "approved"));

    assertThat(decided.statusCode()).isEqualTo(200);
    assertThat(decided.bodyAsJsonObject().getString("status")).isEqualTo("approved");
    Await.until("the email given up after two attempts", () -> "failed".equals(Await.result(running.gateway().pg()
        .preparedQuery("SELECT state FROM registration_emails WHERE workspace_id = $1").execute(Tuple.of("ws_mail_down")))
        .iterator().next().getString("state")));
    var registry = running.gateway().registry();
    assertThat(registry.get("gateway.registrations.emails").tag("outcome", "retried").counter().count()).isEqualTo(1);
    assertThat(registry.get("gateway.registrations.emails").tag("outcome", "failed").counter().count()).isEqualTo(1);
  }
}
