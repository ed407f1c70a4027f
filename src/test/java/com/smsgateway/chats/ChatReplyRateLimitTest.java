package com.smsgateway.chats;

import static com.smsgateway.chats.ChatsTesting.contents;
import static com.smsgateway.chats.ChatsTesting.freshNumber;
import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A brand allowed one segment per second: the agent's replies beyond it wait for retry_at and are all sent, in order. */
class ChatReplyRateLimitTest {
  private static ChatAgentStandIn agent;
  private static Gateway gateway;
  private static ChatsTesting api;

  @BeforeAll
  static void start() {
    agent = new ChatAgentStandIn();
    gateway = Await.result(TestGateway.forClass(ChatReplyRateLimitTest.class)
        .with("GATEWAY_CHAT_AGENTS_URL", agent.url())
        .with("GATEWAY_CHAT_AGENTS_SECRET", "chat-agent-secret-0123456789")
        .with("GATEWAY_CHATS_POLL_INTERVAL", "20ms")
        .with("GATEWAY_RATELIMIT_TIERS_LOW_VOLUME_SEGMENTS_PER_SECOND", "1")
        .start());
    api = new ChatsTesting(gateway);
  }

  @AfterAll
  static void stop() {
    api.close();
    Await.result(gateway.stop());
    agent.close();
  }

  @Test
  void repliesRefusedByTheSegmentLimitAreSentAtRetryAtInOrder() {
    String number = api.chatNumber("ws_chat_limits", "agent_chatty", null);
    String customer = freshNumber();
    agent.behaveFor(customer, request -> ChatAgentStandIn.Reply.ok(ChatAgentStandIn.answer(false, "first", "second", "third")));

    api.text(customer, number, "tell me everything");

    Await.until("all three replies are handed to the pipeline", () -> contents(api.onlyChat(number, customer), "agent").size() == 3);
    assertThat(contents(api.onlyChat(number, customer), "agent")).containsExactly("first", "second", "third");
    assertThat(agent.requestsFor(customer)).as("the agent is not asked again").hasSize(1);
    assertThat(gateway.registry().get("gateway.chats.replies_deferred").counter().count()).isGreaterThanOrEqualTo(1);
  }
}
