package com.smsgateway.chats;

import static com.smsgateway.chats.ChatsTesting.contents;
import static com.smsgateway.chats.ChatsTesting.freshNumber;
import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.TestGateway;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two replicas share PostgreSQL and Redis; texts of one chat arrive at both while the agent is slow to answer. */
class ChatReplicasTest {
  private static ChatAgentStandIn agent;
  private static Gateway first;
  private static Gateway second;
  private static ChatsTesting viaFirst;
  private static ChatsTesting viaSecond;

  @BeforeAll
  static void start() {
    agent = new ChatAgentStandIn();
    TestGateway replicas = TestGateway.forClass(ChatReplicasTest.class)
        .with("GATEWAY_CHAT_AGENTS_URL", agent.url())
        .with("GATEWAY_CHAT_AGENTS_SECRET", "chat-agent-secret-0123456789")
        .with("GATEWAY_CHATS_POLL_INTERVAL", "10ms");
    first = Await.result(replicas.start());
    second = Await.result(replicas.start());
    viaFirst = new ChatsTesting(first);
    viaSecond = new ChatsTesting(second);
  }

  @AfterAll
  static void stop() {
    viaFirst.close();
    viaSecond.close();
    Await.result(first.stop());
    Await.result(second.stop());
    agent.close();
  }

  @Test
  void twoReplicasNeverRunTwoTurnsOfOneChatAtOnceAndEveryTextIsAnswered() {
    String number = viaFirst.chatNumber("ws_chat_replicas", "agent_support", null);
    String customer = freshNumber();
    agent.behaveFor(customer, request -> new ChatAgentStandIn.Reply(200,
        ChatAgentStandIn.answer(false, "seen " + request.userTexts().size()), 100));
    List<String> texts = IntStream.rangeClosed(1, 10).mapToObj(i -> "text " + i).toList();

    CompletableFuture.allOf(IntStream.range(0, texts.size())
        .mapToObj(i -> CompletableFuture.runAsync(() -> (i % 2 == 0 ? viaFirst : viaSecond).text(customer, number, texts.get(i))))
        .toArray(CompletableFuture[]::new)).join();

    Await.until("the agent has answered all ten texts", () -> agent.requestsFor(customer).stream()
        .anyMatch(request -> request.userTexts().size() == texts.size()));
    assertThat(agent.mostTurnsOfOneChatAtOnce()).isEqualTo(1);
    assertThat(agent.requestsFor(customer).stream().map(ChatAgentStandIn.Received::chatId).distinct()).hasSize(1);
    assertThat(contents(viaSecond.onlyChat(number, customer), "user")).containsExactlyInAnyOrderElementsOf(texts);
  }
}
