package com.smsgateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.messages.MessageStore;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.RunningGateway;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reconcile backlog SRE alerts on: texts left 'sending' without a Twilio sid past their lease. The reconcile
 * worker runs only at start-up here (an hour between rounds), so the stuck text stays stuck while it is counted.
 */
class OutboundBacklogTest {
  private static final String LEFT_BY_A_CRASH = """
      INSERT INTO messages (id, direction, account_sid, workspace_id, from_number, to_number, body, num_segments, encoding,
                            status, sender_kind, attempts, last_attempt_at, lease_owner, lease_until)
      VALUES ($1, 'outbound', 'AC00000000000000000000000000000000', 'ws_backlog', '+14155550499', '+14155550533', 'stuck', 1,
              'GSM-7', 'sending', 'platform', 1, now() - interval '30 seconds', 'replica-that-crashed', now() - interval '1 second')
      """;

  @RegisterExtension
  static final RunningGateway running = new RunningGateway(OutboundTesting.quickGateway(OutboundBacklogTest.class)
      .with("GATEWAY_OUTBOUND_RECONCILE_INTERVAL", "1h"));

  @Test
  void aTextLeftSendingWithoutASidPastItsLeaseIsCounted() {
    MessageStore store = running.gateway().services().messages();
    long before = Await.result(store.outboundBacklog(Duration.ofMinutes(10), Duration.ofDays(1))).stuckSending();

    Await.result(running.gateway().pg().preparedQuery(LEFT_BY_A_CRASH).execute(Tuple.of("msg_stuck_counted")));

    assertThat(Await.result(store.outboundBacklog(Duration.ofMinutes(10), Duration.ofDays(1))).stuckSending()).isEqualTo(before + 1);
  }
}
