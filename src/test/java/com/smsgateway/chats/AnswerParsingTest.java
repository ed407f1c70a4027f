package com.smsgateway.chats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the gateway makes of the chat agent's and the inbound webhook's answers, without a gateway. */
class AnswerParsingTest {

  @Test
  void anAgentAnswerKeepsItsResponsesInOrderAndSkipsBlankOnes() {
    ChatAgentClient.Answer answer = ChatAgentClient.parse("""
        {"responses": [{"content": "one"}, {"content": "  "}, {"content": "two"}], "end_chat": true}""");

    assertThat(answer.responses()).containsExactly("one", "two");
    assertThat(answer.endChat()).isTrue();
  }

  @Test
  void anAgentAnswerWithoutResponsesOrEndChatSaysNothingAndGoesOn() {
    ChatAgentClient.Answer answer = ChatAgentClient.parse("{}");

    assertThat(answer.responses()).isEmpty();
    assertThat(answer.endChat()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not json", "[]", "{\"responses\": {}}", "{\"responses\": [\"text\"]}",
      "{\"responses\": [{\"content\": 5}]}", "{\"end_chat\": \"yes\"}"})
  void anAgentAnswerInAnotherShapeFailsTheTry(String body) {
    assertThatThrownBy(() -> ChatAgentClient.parse(body)).isInstanceOf(RuntimeException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "{}", "{\"chat_inbound\": {}}", "{\"chat_inbound\": {\"reject\": false}}"})
  void anEmptyOrSilentWebhookAnswerAcceptsTheChatAsItIs(String body) {
    assertThat(InboundWebhookClient.parse(body)).isEqualTo(InboundWebhookClient.Decision.ACCEPT);
  }

  @Test
  void aWebhookAnswerMayRejectOrOverrideTheAgentWithVariablesAndMetadata() {
    InboundWebhookClient.Decision rejected = InboundWebhookClient.parse("{\"chat_inbound\": {\"reject\": true}}");
    InboundWebhookClient.Decision overridden = InboundWebhookClient.parse("""
        {"chat_inbound": {"override_agent_id": "agent_vip", "dynamic_variables": {"name": "Ada"}, "metadata": {"id": 7}}}""");

    assertThat(rejected.reject()).isTrue();
    assertThat(overridden.reject()).isFalse();
    assertThat(overridden.overrideAgentId()).isEqualTo("agent_vip");
    assertThat(overridden.dynamicVariables()).isEqualTo(new JsonObject().put("name", "Ada"));
    assertThat(overridden.metadata()).isEqualTo(new JsonObject().put("id", 7));
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "{\"chat_inbound\": true}", "{\"chat_inbound\": {\"override_agent_id\": 5}}",
      "{\"chat_inbound\": {\"dynamic_variables\": [1]}}", "{\"chat_inbound\": {\"metadata\": \"x\"}}"})
  void aWebhookAnswerInAnotherShapeFailsTheTry(String body) {
    assertThatThrownBy(() -> InboundWebhookClient.parse(body)).isInstanceOf(RuntimeException.class);
  }
}
