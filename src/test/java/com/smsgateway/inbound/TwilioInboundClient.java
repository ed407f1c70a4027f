package com.smsgateway.inbound;

import com.smsgateway.testing.Await;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.twilio.TwilioConfig;
import com.smsgateway.twilio.TwilioSignature;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.stream.Collectors;

/** Posts inbound-message webhooks to one replica the way Twilio does: form-encoded and signed. */
final class TwilioInboundClient {
  static final String PATH = "/twilio/messages";
  static final String FORM = "application/x-www-form-urlencoded";

  private final RunningGateway replica;

  TwilioInboundClient(RunningGateway replica) {
    this.replica = replica;
  }

  static String newSid() {
    return "SM" + UUID.randomUUID().toString().replace("-", "");
  }

  /** The parameters of Twilio's webhook for a text. */
  static MultiMap sms(String sid, String from, String to, String body) {
    return MultiMap.caseInsensitiveMultiMap()
        .add("ToCountry", "US")
        .add("SmsMessageSid", sid)
        .add("SmsSid", sid)
        .add("MessageSid", sid)
        .add("AccountSid", TwilioConfig.SANDBOX_ACCOUNT_SID)
        .add("MessagingServiceSid", "MG00000000000000000000000000000000")
        .add("From", from)
        .add("To", to)
        .add("Body", body)
        .add("NumMedia", "0")
        .add("NumSegments", "1")
        .add("SmsStatus", "received")
        .add("ApiVersion", "2010-04-01");
  }

  /** Signed with the platform account's token over this replica's public URL. */
  HttpResponse<Buffer> post(MultiMap params) {
    return Await.result(postAsync(params));
  }

  Future<HttpResponse<Buffer>> postAsync(MultiMap params) {
    return send(signature(url(), params), FORM, form(params));
  }

  /** Sends exactly what it is given: for requests that must fail verification. */
  HttpResponse<Buffer> postRaw(String signature, String contentType, Buffer body) {
    return Await.result(send(signature, contentType, body));
  }

  static String signature(String signedUrl, MultiMap params) {
    return TwilioSignature.compute(TwilioConfig.SANDBOX_AUTH_TOKEN, signedUrl, params);
  }

  /** The URL Twilio signs: this replica's public one. */
  String url() {
    return replica.gateway().config().publicBaseUrl() + PATH;
  }

  static Buffer form(MultiMap params) {
    return Buffer.buffer(params.entries().stream()
        .map(param -> encode(param.getKey()) + "=" + encode(param.getValue()))
        .collect(Collectors.joining("&")));
  }

  private Future<HttpResponse<Buffer>> send(String signature, String contentType, Buffer body) {
    var request = replica.http().request(HttpMethod.POST, PATH).putHeader("Content-Type", contentType);
    if (signature != null) {
      request.putHeader(TwilioSignature.HEADER, signature);
    }
    return request.sendBuffer(body);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
