package com.smsgateway.chats;

import static com.smsgateway.chats.ChatsTesting.contents;
import static com.smsgateway.chats.ChatsTesting.freshNumber;
import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A brand allowed one segment per second: the agent's replies beyond it wait for retry_at and are all sent, in order. */
class ChatReplyRateLimitTest {
  @RegisterExtension
  static final RunningChatGateway chats = new RunningChatGateway(ChatReplyRateLimitTest.class)
      .with("GATEWAY_RATELIMIT_TIERS_LOW_VOLUME_SEGMENTS_PER_SECOND", "1");

  @Test
  void repliesRefusedByTheSegmentLimitAreSentAtRetryAtInOrder() {
    ChatsTesting api = chats.api();
    String number = api.chatNumber("ws_chat_limits", "agent_chatty", null);
    String customer = freshNumber();
    chats.agent().behaveFor(customer, request -> ChatAgentStandIn.Reply.ok(ChatAgentStandIn.answer(false, "first", "second", "third")));

    api.text(customer, number, "tell me everything");

    Await.until("all three replies are handed to the pipeline", () -> contents(api.onlyChat(number, customer), "agent").size() == 3);
    assertThat(contents(api.onlyChat(number, customer), "agent")).containsExactly("first", "second", "third");
    assertThat(chats.agent().requestsFor(customer)).as("the agent is not asked again").hasSize(1);
    assertThat(chats.gateway().registry().get("gateway.chats.replies_deferred").counter().count()).isGreaterThanOrEqualTo(1);
  }
}
