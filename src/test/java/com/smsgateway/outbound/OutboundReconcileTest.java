package com.smsgateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Await;
import com.smsgateway.testing.RunningGateway;
import com.smsgateway.twilio.TwilioAccount;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replica died between recording an attempt ('sending', leased) and recording Twilio's sid. The rows are written
 * as such a replica leaves them; the survivor must resolve each without sending a text twice.
 */
class OutboundReconcileTest {
  private static final String AGENT = "+14155550499";
  private static final String WORKSPACE = "ws_reconcile";
  private static final String LEFT_BY_A_CRASH = """
      INSERT INTO messages (id, direction, account_sid, workspace_id, from_number, to_number, body, num_segments, encoding,
                            status, sender_kind, attempts, last_attempt_at, lease_owner, lease_until)
      VALUES ($1, 'outbound', $2, $3, $4, $5, $6, 1, 'GSM-7', 'sending', 'platform', 1,
              now() - interval '30 seconds', 'replica-that-crashed', now() - interval '1 second')
      """;

  @RegisterExtension
  static final RunningGateway running = new RunningGateway(OutboundTesting.quickGateway(OutboundReconcileTest.class)
      .with("GATEWAY_OUTBOUND_RECONCILE_INTERVAL", "100ms"));
  private static OutboundTesting outbound;
  private static String key;
  private static TwilioAccount platform;

  @BeforeAll
  static void start() {
    outbound = new OutboundTesting(running.gateway(), running.http());
    key = outbound.workspaceKey(WORKSPACE);
    platform = running.gateway().services().twilioAccounts().platform();
  }

  @Test
  void aTextTwilioAcceptedBeforeTheCrashAdoptsItsSidAndIsNotResent() {
    String to = "+14155550503";
    String body = "Accepted before the crash";
    String sid = Await.result(running.gateway().services().twilioApi()
        .sendMessage(platform, AGENT, to, body, List.of(), running.gateway().services().statusCallbackUrl())).sid();
    long requestsBefore = outbound.sendRequests();

    leaveStuck("msg_crash_accepted", to, body);

    Await.until("the stuck text adopted Twilio's sid", () -> sid.equals(outbound.message(key, "msg_crash_accepted").getString("twilio_sid")));
    outbound.awaitStatus(key, "msg_crash_accepted", "delivered");
    assertThat(outbound.sendRequests()).isEqualTo(requestsBefore);
    assertThat(Await.result(running.gateway().services().twilioApi().recentMessages(platform, AGENT, to, 50))).hasSize(1);
  }

  @Test
  void aTextTwilioNeverGotIsSentOnce() {
    String to = "+14155550513";
    long requestsBefore = outbound.sendRequests();

    leaveStuck("msg_crash_lost", to, "Lost in the crash");

    outbound.awaitStatus(key, "msg_crash_lost", "delivered");
    assertThat(outbound.sendRequests() - requestsBefore).isEqualTo(1);
    assertThat(Await.result(running.gateway().services().twilioApi().recentMessages(platform, AGENT, to, 50))).hasSize(1);
  }

  private static void leaveStuck(String id, String to, String body) {
    Await.result(running.gateway().pg().preparedQuery(LEFT_BY_A_CRASH).execute(Tuple.of(id, platform.accountSid(), WORKSPACE, AGENT, to, body)));
  }
}
