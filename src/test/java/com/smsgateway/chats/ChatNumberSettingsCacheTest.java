package com.smsgateway.chats;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.testing.Await;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replica caches a number's chat settings (here for an hour, so only the invalidation can make the test pass): a chat
 * agent attached through the replica answers the very next text, although the replica cached "no chat agent" before.
 */
class ChatNumberSettingsCacheTest {
  @RegisterExtension
  static final RunningChatGateway chats = new RunningChatGateway(ChatNumberSettingsCacheTest.class)
      .with("GATEWAY_CHATS_NUMBER_SETTINGS_CACHE_TTL", "1h");

  @Test
  void aChatAgentAttachedThroughTheReplicaAnswersTheNextTextDespiteTheCachedSettings() {
    ChatsTesting api = chats.api();
    String number = api.chatNumber("ws_chat_cache", null, null);
    String customer = ChatsTesting.freshNumber();
    String first = api.text(customer, number, "anyone there?");
    Await.until("the first text is left unrouted", () -> "unrouted".equals(dispatchState(first)));

    api.setChatSettings(number, "agent_cache", null, null, null);
    api.text(customer, number, "hello again");

    Await.until("the agent answers the second text", () -> chats.agent().requestsFor(customer).size() == 1);
    assertThat(api.chatsOf(number, customer)).hasSize(1);
  }

  private static String dispatchState(String twilioSid) {
    var rows = Await.result(chats.gateway().pg().preparedQuery("SELECT dispatch_state FROM messages WHERE twilio_sid = $1")
        .execute(Tuple.of(twilioSid)));
    return rows.size() == 0 ? null : rows.iterator().next().getString(0);
  }
}
