package com.smsgateway.chats;

import static com.smsgateway.chats.ChatsTesting.contents;
import static com.smsgateway.chats.ChatsTesting.errorCode;
import static com.smsgateway.chats.ChatsTesting.freshNumber;
import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.db.EventLoopBatches;
import com.smsgateway.numbers.NumbersConfig;
import com.smsgateway.numbers.SmsNumberStore;
import com.smsgateway.outbound.OutboundFeature;
import com.smsgateway.registration.RegisteredBrandTiers;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Create Outbound SMS (POST /v1/sms-chats), the chats API, and the silence rule with an injected clock. */
class CreateOutboundChatTest {
  private static final String WORKSPACE = "ws_outbound_chats";
  private static ChatAgentStandIn agent;
  private static Gateway gateway;
  private static ChatsTesting api;
  private static String workspaceKey;

  @BeforeAll
  static void start() {
    agent = new ChatAgentStandIn();
    gateway = Await.result(TestGateway.forClass(CreateOutboundChatTest.class)
        .with("GATEWAY_CHAT_AGENTS_URL", agent.url())
        .with("GATEWAY_CHAT_AGENTS_SECRET", "chat-agent-secret-0123456789")
        .with("GATEWAY_CHATS_POLL_INTERVAL", "20ms")
        .start());
    api = new ChatsTesting(gateway);
    workspaceKey = api.workspaceKey(WORKSPACE);
  }

  @AfterAll
  static void stop() {
    api.close();
    Await.result(gateway.stop());
    agent.close();
  }

  private static JsonObject request(String from, String to) {
    return new JsonObject().put("from_number", from).put("to_number", to)
        .put("dynamic_variables", new JsonObject().put("appointment", "Tuesday 10am"))
        .put("metadata", new JsonObject().put("campaign", "reminders"));
  }

  @Test
  void theAgentWritesTheFirstTextFromAnEmptyHistoryAndItIsSent() {
    String number = api.chatNumber(WORKSPACE, "agent_reminders", null);
    String customer = freshNumber();

    var created = api.createChat(request(number, customer).put("override_agent_id", "agent_special"), workspaceKey, null);

    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    JsonObject chat = created.bodyAsJsonObject();
    assertThat(chat.getString("chat_status")).isEqualTo("ongoing");
    assertThat(chat.getString("agent_id")).isEqualTo("agent_special");
    assertThat(chat.getString("customer_number")).isEqualTo(customer);
    assertThat(chat.getJsonObject("metadata").getString("campaign")).isEqualTo("reminders");
    String chatId = chat.getString("chat_id");
    Await.until("the first text is sent", () -> contents(api.chat(chatId), "agent").size() == 1);
    ChatAgentStandIn.Received turn = agent.requestsFor(customer).get(0);
    assertThat(turn.messages()).isEmpty();
    assertThat(turn.body().getJsonObject("dynamic_variables").getString("appointment")).isEqualTo("Tuesday 10am");
    assertThat(contents(api.chat(chatId), "agent")).containsExactly("echo: (first message) (turn 1)");
  }

  @Test
  void aRepeatWithTheSameIdempotencyKeyAnswersTheSameChat() {
    String number = api.chatNumber(WORKSPACE, "agent_reminders", null);
    String customer = freshNumber();
    String key = UUID.randomUUID().toString();

    var first = api.createChat(request(number, customer), workspaceKey, key);
    var repeat = api.createChat(request(number, customer), workspaceKey, key);

    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(201);
    assertThat(repeat.statusCode()).isEqualTo(201);
    assertThat(repeat.bodyAsJsonObject().getString("chat_id")).isEqualTo(first.bodyAsJsonObject().getString("chat_id"));
    assertThat(api.chatsOf(number, customer)).hasSize(1);
  }

  @Test
  void aRetryAfterTheReplicaDiedBeforeAnsweringAnswersTheChatItsFirstRunOpened() {
    String number = api.chatNumber(WORKSPACE, "agent_reminders", null);
    String customer = freshNumber();
    String key = UUID.randomUUID().toString();
    var first = api.createChat(request(number, customer), workspaceKey, key);
    // What a replica killed after opening the chat but before keeping its answer leaves: an unanswered claim that
    // nobody renews, whose lease has run out.
    Await.result(gateway.pg().preparedQuery("UPDATE idempotency_keys SET status_code = NULL, response_body = NULL,"
        + " created_at = now() - interval '2 seconds', claim_until = now() - interval '1 second' WHERE idempotency_key = $1")
        .execute(Tuple.of(key)));

    var retried = api.createChat(request(number, customer), workspaceKey, key);

    assertThat(retried.statusCode()).as(retried.bodyAsString()).isEqualTo(201);
    assertThat(retried.getHeader("Idempotent-Replayed")).isNull();
    assertThat(retried.bodyAsJsonObject().getString("chat_id")).isEqualTo(first.bodyAsJsonObject().getString("chat_id"));
    assertThat(api.chatsOf(number, customer)).hasSize(1);
  }

  @Test
  void anotherWorkspacesNumberIs422SenderNotAllowed() {
    String foreign = api.chatNumber("ws_someone_else", "agent_x", null);

    var refused = api.createChat(request(foreign, freshNumber()), workspaceKey, null);

    assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(422);
    assertThat(errorCode(refused)).isEqualTo("sender_not_allowed");
  }

  @Test
  void aVoicePlatformKeyMayNotTouchChats() {
    var created = api.http().postJson("/v1/api-keys", ChatsTesting.ADMIN, new JsonObject().put("role", "voice_platform"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String voicePlatform = created.bodyAsJsonObject().getString("key");
    String number = api.chatNumber(WORKSPACE, "agent_reminders", null);

    assertThat(api.createChat(request(number, freshNumber()), voicePlatform, null).statusCode()).isEqualTo(403);
    assertThat(api.http().get("/v1/sms-chats", voicePlatform).statusCode()).isEqualTo(403);
    assertThat(api.http().postJson("/v1/workspaces/" + WORKSPACE + "/webhook-secret", voicePlatform, new JsonObject()).statusCode())
        .isEqualTo(403);
  }

  @Test
  void anOptedOutCustomerIs409() {
    String number = api.chatNumber(WORKSPACE, "agent_reminders", null);
    String customer = freshNumber();
    api.text(customer, number, "STOP");

    var refused = api.createChat(request(number, customer), workspaceKey, null);

    assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(409);
    assertThat(errorCode(refused)).isEqualTo("recipient_opted_out");
  }

  @Test
  void anOngoingChatOfThePairIs409WithItsChatId() {
    String number = api.chatNumber(WORKSPACE, "agent_reminders", null);
    String customer = freshNumber();
    String ongoing = api.createChat(request(number, customer), workspaceKey, null).bodyAsJsonObject().getString("chat_id");

    var refused = api.createChat(request(number, customer), workspaceKey, null);

    assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(409);
    assertThat(errorCode(refused)).isEqualTo("chat_in_progress");
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("chat_id")).isEqualTo(ongoing);
  }

  @Test
  void endingAChatByApiAllowsANewOneAndAnotherWorkspaceSees404() {
    String number = api.chatNumber(WORKSPACE, "agent_reminders", null);
    String customer = freshNumber();
    String chatId = api.createChat(request(number, customer), workspaceKey, null).bodyAsJsonObject().getString("chat_id");
    String otherKey = api.workspaceKey("ws_not_outbound_chats");

    assertThat(api.http().get("/v1/sms-chats/" + chatId, otherKey).statusCode()).isEqualTo(404);
    assertThat(api.http().postJson("/v1/sms-chats/" + chatId + "/end", otherKey, new JsonObject()).statusCode()).isEqualTo(404);
    var ended = api.http().postJson("/v1/sms-chats/" + chatId + "/end", workspaceKey, new JsonObject());
    var again = api.http().postJson("/v1/sms-chats/" + chatId + "/end", workspaceKey, new JsonObject());
    var next = api.createChat(request(number, customer), workspaceKey, null);

    assertThat(ended.statusCode()).as(ended.bodyAsString()).isEqualTo(200);
    assertThat(ended.bodyAsJsonObject().getString("chat_status")).isEqualTo("ended");
    assertThat(ended.bodyAsJsonObject().getString("end_reason")).isEqualTo("api_ended");
    assertThat(ended.bodyAsJsonObject().getString("end_timestamp")).isNotNull();
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(next.statusCode()).isEqualTo(201);
  }

  @Test
  void theListIsNewestFirstInCursorPagesFilteredByStatus() {
    String number = api.chatNumber(WORKSPACE, "agent_reminders", null);
    String[] chatIds = new String[3];
    for (int i = 0; i < 3; i++) {
      chatIds[i] = api.createChat(request(number, freshNumber()), workspaceKey, null).bodyAsJsonObject().getString("chat_id");
    }
    api.http().postJson("/v1/sms-chats/" + chatIds[0] + "/end", workspaceKey, new JsonObject());
    String query = "/v1/sms-chats?phone_number=" + number.replace("+", "%2B");

    JsonObject first = api.http().get(query + "&limit=2", workspaceKey).bodyAsJsonObject();
    JsonObject second = api.http().get(query + "&limit=2&cursor=" + first.getString("next_cursor"), workspaceKey).bodyAsJsonObject();
    JsonObject ongoing = api.http().get(query + "&status=ongoing", workspaceKey).bodyAsJsonObject();

    assertThat(first.getJsonArray("chats").stream().map(c -> ((JsonObject) c).getString("chat_id"))).containsExactly(chatIds[2], chatIds[1]);
    assertThat(second.getJsonArray("chats").stream().map(c -> ((JsonObject) c).getString("chat_id"))).containsExactly(chatIds[0]);
    assertThat(second.getString("next_cursor")).isNull();
    assertThat(ongoing.getJsonArray("chats").stream().map(c -> ((JsonObject) c).getString("chat_id"))).containsExactly(chatIds[2], chatIds[1]);
    assertThat(api.http().get(query + "&status=paused", workspaceKey).statusCode()).isEqualTo(422);
    assertThat(api.http().get(query + "&cursor=garbage", workspaceKey).statusCode()).isEqualTo(422);
  }

  @Test
  void aSilentChatEndsAfterTheNumbersSilenceAndSendsTheAutoCloseText() {
    String number = api.chatNumber(WORKSPACE, "agent_reminders", null);
    api.setChatSettings(number, "agent_reminders", null, 120, "Closing this chat - text us any time.");
    String customer = freshNumber();
    String chatId = api.createChat(request(number, customer), workspaceKey, null).bodyAsJsonObject().getString("chat_id");
    Await.until("the first text is sent", () -> contents(api.chat(chatId), "agent").size() == 1);
    // The silence rule of another replica of the same gateway, with its clock moved on.
    ChatsFeature chats = ChatsFeature.create(gateway.services(),
        OutboundFeature.create(gateway.services(), new SmsNumberStore(gateway.vertx(), gateway.pg(), NumbersConfig.from(gateway.config().source()), EventLoopBatches.BatchLimits.forRequests(gateway.config().source()), gateway.registry()), new RegisteredBrandTiers(gateway.pg())));

    Await.result(chats.endSilentChats(Clock.fixed(Instant.now().plus(Duration.ofSeconds(60)), ZoneOffset.UTC)));
    assertThat(api.chat(chatId).getString("chat_status")).as("not silent for 2 minutes yet").isEqualTo("ongoing");
    Await.result(chats.endSilentChats(Clock.fixed(Instant.now().plus(Duration.ofSeconds(121)), ZoneOffset.UTC)));

    JsonObject ended = api.chat(chatId);
    assertThat(ended.getString("chat_status")).isEqualTo("ended");
    assertThat(ended.getString("end_reason")).isEqualTo("silence");
    assertThat(contents(ended, "agent")).containsExactly("echo: (first message) (turn 1)", "Closing this chat - text us any time.");
  }
}
