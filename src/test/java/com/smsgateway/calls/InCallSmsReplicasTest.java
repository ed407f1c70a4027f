package com.smsgateway.calls;

import com.smsgateway.testing.RedisTest;
import static com.smsgateway.calls.CallsApi.ADMIN;
import static com.smsgateway.calls.CallsApi.freshNumber;
import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Await;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** In-call SMS over HTTP through two replicas sharing PostgreSQL and Redis. */
@RedisTest
class InCallSmsReplicasTest {
  private static final TestGateway replicas = TestGateway.forClass(InCallSmsReplicasTest.class)
      // The pool brand's per-second budget must not refuse a burst of 50: this test is about the pin.
      .with("GATEWAY_RATELIMIT_TIERS_STANDARD_SEGMENTS_PER_SECOND", "100000");
  @RegisterExtension
  static final RunningGateway first = new RunningGateway(replicas);
  @RegisterExtension
  static final RunningGateway second = new RunningGateway(replicas);

  @Test
  void fiftyConcurrentFirstSmsOfOneCallOnTwoReplicasAllGoFromOnePoolNumber() {
    CallsApi api = new CallsApi(first.http());
    api.usePool(freshNumber(), freshNumber(), freshNumber(), freshNumber(), freshNumber());
    String callId = api.registeredCall("ws_incall_replicas", freshNumber(), freshNumber()).getString("call_id");
    JsonObject template = new JsonObject().put("template_id", "payment_link")
        .put("variables", new JsonObject().put("business_name", "Acme").put("payment_url", "https://pay.example/r1"));

    List<Future<HttpResponse<Buffer>>> sends = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      sends.add((i % 2 == 0 ? first : second).http().request(HttpMethod.POST, "/v1/calls/" + callId + "/sms")
          .putHeader("Authorization", "Bearer " + ADMIN)
          .sendJsonObject(template));
    }
    List<HttpResponse<Buffer>> answers = Await.result(Future.all(sends)).list();

    assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(202));
    List<String> answeredFrom = answers.stream().map(answer -> answer.bodyAsJsonObject().getString("from_number")).distinct().toList();
    assertThat(answeredFrom).hasSize(1);
    List<String> storedFrom = second.http().get("/v1/calls/" + callId + "/sms", ADMIN).bodyAsJsonObject().getJsonArray("messages")
        .stream().map(message -> ((JsonObject) message).getString("from_number")).toList();
    assertThat(storedFrom).hasSize(50).containsOnly(answeredFrom.get(0));
  }
}
