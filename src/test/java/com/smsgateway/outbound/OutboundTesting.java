package com.smsgateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.numbers.PhoneNumbers;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.TestGateway;
import com.smsgateway.twilio.TwilioConfig;
import com.smsgateway.twilio.TwilioSignature;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Driving the outbound side of a test gateway: keys, sends, sandbox faults, signed status callbacks, metrics. */
final class OutboundTesting {
  private final Gateway gateway;
  private final Http http;
  /** The workspace of each key this helper made, so a send can first register its number to that workspace. */
  private final Map<String, String> workspaceOfKey = new ConcurrentHashMap<>();

  OutboundTesting(Gateway gateway, Http http) {
    this.gateway = gateway;
    this.http = http;
  }

  /** A test gateway whose Twilio retries and sandbox callbacks are quick. */
  static TestGateway quickGateway(Class<?> testClass) {
    return TestGateway.forClass(testClass)
        .with("GATEWAY_TWILIO_RETRY_INITIAL_BACKOFF", "1ms")
        .with("GATEWAY_TWILIO_RETRY_MAX_BACKOFF", "5ms")
        .with("GATEWAY_OUTBOUND_RETRY_BACKOFF_INITIAL", "10ms")
        .with("GATEWAY_OUTBOUND_RETRY_BACKOFF_MAX", "20ms")
        .with("GATEWAY_SANDBOX_CALLBACK_DELAY", "20ms");
  }

  String workspaceKey(String workspaceId) {
    var response = http.postJson("/v1/api-keys", TestGateway.ADMIN_KEY, new JsonObject().put("role", "workspace").put("workspace_id", workspaceId));
    assertThat(response.statusCode()).isEqualTo(201);
    String key = response.bodyAsJsonObject().getString("key");
    workspaceOfKey.put(key, workspaceId);
    return key;
  }

  /** Registers {@code phoneNumber} as an SMS-enabled platform number of {@code workspaceId}, as an admin would. */
  void ownNumber(String workspaceId, String phoneNumber) {
    var response = http.putJson("/v1/sms-numbers/" + phoneNumber, TestGateway.ADMIN_KEY, new JsonObject()
        .put("type", "platform").put("workspace_id", workspaceId).put("agent_id", "agent_test").put("sms_status", "enabled"));
    assertThat(response.statusCode()).as(response.bodyAsString()).isIn(200, 201);
  }

  /** Sends from {@code from}, first made a number of the key's workspace. */
  HttpResponse<Buffer> send(String apiKey, String from, String to, String body) {
    String workspaceId = workspaceOfKey.get(apiKey);
    if (workspaceId != null && PhoneNumbers.isUsE164(from)) {
      ownNumber(workspaceId, from);
    }
    return http.postJson("/v1/messages", apiKey, new JsonObject().put("from_number", from).put("to_number", to).put("body", body));
  }

  /** Sends and expects 202; answers the message id. */
  String sent(String apiKey, String from, String to, String body) {
    var response = send(apiKey, from, to, body);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    return response.bodyAsJsonObject().getString("message_id");
  }

  JsonObject message(String apiKey, String messageId) {
    var response = http.get("/v1/messages/" + messageId, apiKey);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  JsonObject awaitStatus(String apiKey, String messageId, String status) {
    Await.until(messageId + " is " + status, () -> status.equals(message(apiKey, messageId).getString("status")));
    return message(apiKey, messageId);
  }

  void armFault(JsonObject fault) {
    assertThat(http.postJson("/sandbox/faults", TestGateway.ADMIN_KEY, fault).statusCode()).isEqualTo(201);
  }

  /** The sandbox's Twilio answers the next {@code count} sends to {@code to} with this error. */
  void failSends(String to, int httpStatus, int twilioCode, int count) {
    armFault(new JsonObject().put("operation", "send").put("status", httpStatus).put("twilio_code", twilioCode)
        .put("phone_number", to).put("count", count));
  }

  /** Posts a status callback to {@code replica} through {@code client}, signed with the sandbox account's token as Twilio would. */
  static HttpResponse<Buffer> statusCallback(Http client, Gateway replica, String sid, String status, String errorCode) {
    MultiMap params = MultiMap.caseInsensitiveMultiMap()
        .add("MessageSid", sid)
        .add("MessageStatus", status)
        .add("AccountSid", TwilioConfig.SANDBOX_ACCOUNT_SID);
    if (errorCode != null) {
      params.add("ErrorCode", errorCode);
    }
    String url = replica.config().publicBaseUrl() + "/twilio/status";
    String form = params.entries().stream()
        .map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return Http.send(client.request(HttpMethod.POST, "/twilio/status")
        .putHeader("Content-Type", "application/x-www-form-urlencoded")
        .putHeader(TwilioSignature.HEADER, TwilioSignature.compute(TwilioConfig.SANDBOX_AUTH_TOKEN, url, params)), Buffer.buffer(form));
  }

  /** Requests the gateway made to (the sandbox's) Twilio to send texts, failed ones included. */
  long sendRequests() {
    return gateway.registry().find("gateway.twilio.api.latency").tag("operation", "send_message").timers().stream()
        .mapToLong(Timer::count).sum();
  }

  double counter(String name, String... tags) {
    var counter = gateway.registry().find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }
}
