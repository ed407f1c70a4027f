package com.smsgateway.chats;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A replica caches a number's chat settings (here for an hour, so only the invalidation can make the test pass): a chat
 * agent attached through the replica answers the very next text, although the replica cached "no chat agent" before.
 */
class ChatNumberSettingsCacheTest {
  private static final String WORKSPACE = "ws_chat_cache";
  private static ChatAgentStandIn agent;
  private static Gateway gateway;
  private static ChatsTesting api;

  @BeforeAll
  static void start() {
    agent = new ChatAgentStandIn();
    gateway = Await.result(TestGateway.forClass(ChatNumberSettingsCacheTest.class)
        .with("GATEWAY_CHAT_AGENTS_URL", agent.url())
        .with("GATEWAY_CHAT_AGENTS_SECRET", "chat-agent-secret-0123456789")
        .with("GATEWAY_CHATS_POLL_INTERVAL", "20ms")
        .with("GATEWAY_CHATS_NUMBER_SETTINGS_CACHE_TTL", "1h")
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
  void aChatAgentAttachedThroughTheReplicaAnswersTheNextTextDespiteTheCachedSettings() {
    String number = api.chatNumber(WORKSPACE, null, null);
    String customer = ChatsTesting.freshNumber();
    String first = api.text(customer, number, "anyone there?");
    Await.until("the first text is left unrouted", () -> "unrouted".equals(dispatchState(first)));

    api.setChatSettings(number, "agent_cache", null, null, null);
    api.text(customer, number, "hello again");

    Await.until("the agent answers the second text", () -> agent.requestsFor(customer).size() == 1);
    assertThat(api.chatsOf(number, customer)).hasSize(1);
  }

  private static String dispatchState(String twilioSid) {
    var rows = Await.result(gateway.pg().preparedQuery("SELECT dispatch_state FROM messages WHERE twilio_sid = $1")
        .execute(io.vertx.sqlclient.Tuple.of(twilioSid)));
    return rows.size() == 0 ? null : rows.iterator().next().getString(0);
  }
}
