package com.smsgateway.outbound;

import com.smsgateway.testing.RedisTest;
import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Await;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Brand limits in the outbound pipeline, with a tiny low_volume tier (workspace brands): 5 segments a day, 2 to
 * T-Mobile. The sandbox's Lookup reports T-Mobile for numbers ending in 0-2 and Verizon for 3-5. Each test uses
 * its own workspace, so its own brand.
 */
@RedisTest
class BrandLimitsTest {
  private static final String AGENT = "+14155550699";

  @RegisterExtension
  static final RunningGateway running = new RunningGateway(OutboundTesting.quickGateway(BrandLimitsTest.class)
      .with("GATEWAY_RATELIMIT_TIERS_LOW_VOLUME_DAILY_SEGMENTS", "5")
      .with("GATEWAY_RATELIMIT_TIERS_LOW_VOLUME_DAILY_TMOBILE_SEGMENTS", "2")
      .with("GATEWAY_RATELIMIT_TIERS_LOW_VOLUME_SEGMENTS_PER_SECOND", "1000"));
  private static OutboundTesting outbound;

  @BeforeAll
  static void start() {
    outbound = new OutboundTesting(running.gateway(), running.http());
  }

  @Test
  void overTheDailyCapIs429WithTheLimitAndTheNextCarrierDay() {
    String key = outbound.workspaceKey("ws_capped");
    String threeSegments = "x".repeat(153 * 2 + 1);
    outbound.awaitStatus(key, outbound.sent(key, AGENT, "+14155550703", threeSegments), "delivered");
    outbound.awaitStatus(key, outbound.sent(key, AGENT, "+14155550713", "one segment"), "delivered");
    double rejectedBefore = outbound.counter("gateway.ratelimit.rejections", "limit", "daily_total");

    var refused = outbound.send(key, AGENT, "+14155550723", "x".repeat(161));

    assertThat(refused.statusCode()).isEqualTo(429);
    JsonObject error = refused.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("segment_limit_exceeded");
    assertThat(error.getString("limit")).isEqualTo("daily_total");
    Instant retryAt = Instant.parse(error.getString("retry_at"));
    assertThat(retryAt.atZone(ZoneId.of("America/Los_Angeles")).toLocalTime()).as("the next carrier day").isEqualTo(LocalTime.MIDNIGHT);
    assertThat(retryAt).isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofHours(25)));
    assertThat(outbound.counter("gateway.ratelimit.rejections", "limit", "daily_total")).isEqualTo(rejectedBefore + 1);
  }

  @Test
  void tmobileRecipientsHaveTheirOwnSmallerCap() {
    String key = outbound.workspaceKey("ws_tmobile");
    outbound.awaitStatus(key, outbound.sent(key, AGENT, "+14155550730", "x".repeat(161)), "delivered");

    var refused = outbound.send(key, AGENT, "+14155550741", "one more");

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("limit")).isEqualTo("daily_tmobile");
  }

  @Test
  void usageShowsUsedAndRemainingPerLimit() {
    String key = outbound.workspaceKey("ws_usage");
    outbound.awaitStatus(key, outbound.sent(key, AGENT, "+14155550750", "to T-Mobile"), "delivered");
    outbound.awaitStatus(key, outbound.sent(key, AGENT, "+14155550763", "to Verizon"), "delivered");

    var response = running.http().get("/v1/brands/workspace-ws_usage/usage", key);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject usage = response.bodyAsJsonObject();
    assertThat(usage.getString("tier")).isEqualTo("low_volume");
    assertThat(usage.getJsonObject("limits").getJsonObject("daily_total").getMap())
        .containsEntry("limit", 5).containsEntry("used", 2).containsEntry("remaining", 3);
    assertThat(usage.getJsonObject("limits").getJsonObject("daily_tmobile").getMap())
        .containsEntry("limit", 2).containsEntry("used", 1).containsEntry("remaining", 1);
  }

  @Test
  void aSendTwilioRefusedGivesItsSegmentsBack() {
    String key = outbound.workspaceKey("ws_refund");
    String to = "+14155550773";
    outbound.failSends(to, 400, 21612, 1);

    outbound.awaitStatus(key, outbound.sent(key, AGENT, to, "refused by Twilio"), "failed");

    Await.until("the segments are refunded", () -> running.http().get("/v1/brands/workspace-ws_refund/usage", key).bodyAsJsonObject()
        .getJsonObject("limits").getJsonObject("daily_total").getLong("used") == 0);
  }

  @Test
  void aFailedCarrierLookupChargesTheTotalOnlyAndIsCounted() {
    String key = outbound.workspaceKey("ws_lookup");
    String tmobileRecipient = "+14155550781";
    outbound.armFault(new JsonObject().put("operation", "lookup").put("status", 503).put("twilio_code", 20503)
        .put("phone_number", tmobileRecipient).put("count", 100));
    double failedBefore = outbound.counter("gateway.carrier.lookups", "source", "failed");

    double fromRedisBefore = outbound.counter("gateway.carrier.lookups", "source", "redis");

    outbound.awaitStatus(key, outbound.sent(key, AGENT, tmobileRecipient, "sent anyway"), "delivered");
    outbound.awaitStatus(key, outbound.sent(key, AGENT, tmobileRecipient, "looked up again"), "delivered");

    JsonObject limits = running.http().get("/v1/brands/workspace-ws_lookup/usage", key).bodyAsJsonObject().getJsonObject("limits");
    assertThat(limits.getJsonObject("daily_total").getLong("used")).isEqualTo(2);
    assertThat(limits.getJsonObject("daily_tmobile").getLong("used")).isZero();
    assertThat(outbound.counter("gateway.carrier.lookups", "source", "failed")).as("an unknown carrier is not cached")
        .isEqualTo(failedBefore + 2);
    assertThat(outbound.counter("gateway.carrier.lookups", "source", "redis")).isEqualTo(fromRedisBefore);
  }

  @Test
  void aRecipientsCarrierIsLookedUpOnceThenReadByTheLimiterFromTheBrandsCache() {
    String key = outbound.workspaceKey("ws_cache");
    String tmobileRecipient = "+14155550790";
    double fromTwilio = outbound.counter("gateway.carrier.lookups", "source", "twilio");
    double fromRedis = outbound.counter("gateway.carrier.lookups", "source", "redis");

    outbound.awaitStatus(key, outbound.sent(key, AGENT, tmobileRecipient, "first"), "delivered");
    outbound.awaitStatus(key, outbound.sent(key, AGENT, tmobileRecipient, "second"), "delivered");

    assertThat(outbound.counter("gateway.carrier.lookups", "source", "twilio")).isEqualTo(fromTwilio + 1);
    assertThat(outbound.counter("gateway.carrier.lookups", "source", "redis")).isEqualTo(fromRedis + 1);
    JsonObject limits = running.http().get("/v1/brands/workspace-ws_cache/usage", key).bodyAsJsonObject().getJsonObject("limits");
    assertThat(limits.getJsonObject("daily_tmobile").getLong("used")).as("the cached carrier is T-Mobile").isEqualTo(2);
  }

  @Test
  void anotherBrandFindsAKnownRecipientsCarrierInPostgres() {
    String recipient = "+14155550794";
    String firstKey = outbound.workspaceKey("ws_first_brand");
    outbound.awaitStatus(firstKey, outbound.sent(firstKey, AGENT, recipient, "looked up"), "delivered");
    double fromTwilio = outbound.counter("gateway.carrier.lookups", "source", "twilio");
    double fromPostgres = outbound.counter("gateway.carrier.lookups", "source", "postgres");
    String secondKey = outbound.workspaceKey("ws_second_brand");

    outbound.awaitStatus(secondKey, outbound.sent(secondKey, AGENT, recipient, "from the shared tier"), "delivered");

    assertThat(outbound.counter("gateway.carrier.lookups", "source", "postgres")).isEqualTo(fromPostgres + 1);
    assertThat(outbound.counter("gateway.carrier.lookups", "source", "twilio")).isEqualTo(fromTwilio);
  }

  @Test
  void aWorkspaceKeyReadsOnlyItsOwnBrandsUsage() {
    String key = outbound.workspaceKey("ws_reader");

    assertThat(running.http().get("/v1/brands/workspace-ws_reader/usage", key).statusCode()).isEqualTo(200);
    assertThat(running.http().get("/v1/brands/workspace-ws_capped/usage", key).statusCode()).isEqualTo(404);
    assertThat(running.http().get("/v1/brands/platform-pool/usage", key).statusCode()).isEqualTo(404);
    assertThat(running.http().get("/v1/brands/platform-pool/usage", TestGateway.ADMIN_KEY).bodyAsJsonObject().getString("tier")).isEqualTo("standard");
    assertThat(running.http().get("/v1/brands/no-such-brand/usage", TestGateway.ADMIN_KEY).statusCode()).isEqualTo(404);
  }
}
