package com.smsgateway.chats;

import static com.smsgateway.chats.ChatsTesting.contents;
import static com.smsgateway.chats.ChatsTesting.freshNumber;
import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Texts to a number with a chat agent, end to end: local servers stand in for the chat agent and the customer's webhook. */
class ChatConversationTest {
  private static final String AGENT_SECRET = "chat-agent-secret-0123456789";
  private static final Pattern SIGNATURE = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})");
  private static final String WORKSPACE = "ws_chats";

  /** What the webhook stand-in does for a customer: answer this JSON, or never answer (a timeout). */
  private static final Map<String, JsonObject> webhookAnswers = new ConcurrentHashMap<>();
  private static final List<JsonObject> webhookRequests = new CopyOnWriteArrayList<>();
  private static final List<String> webhookSignatures = new CopyOnWriteArrayList<>();
  private static final JsonObject NEVER_ANSWER = new JsonObject().put("never", true);

  private static ChatAgentStandIn agent;
  private static Vertx webhookVertx;
  private static HttpServer webhook;
  private static Gateway gateway;
  private static ChatsTesting api;

  @BeforeAll
  static void start() {
    agent = new ChatAgentStandIn();
    webhookVertx = Vertx.vertx();
    webhook = Await.result(webhookVertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      JsonObject event = body.toJsonObject();
      webhookRequests.add(event);
      webhookSignatures.add(String.valueOf(request.getHeader("X-Gateway-Signature")) + "|" + body);
      JsonObject answer = webhookAnswers.getOrDefault(event.getJsonObject("chat_inbound").getString("from_number"), new JsonObject());
      if (answer != NEVER_ANSWER) {
        request.response().putHeader("Content-Type", "application/json").end(answer.encode());
      }
    })).listen(0, "127.0.0.1"));
    gateway = Await.result(TestGateway.forClass(ChatConversationTest.class)
        .with("GATEWAY_CHAT_AGENTS_URL", agent.url())
        .with("GATEWAY_CHAT_AGENTS_SECRET", AGENT_SECRET)
        .with("GATEWAY_CHAT_AGENTS_TIMEOUT", "2s")
        .with("GATEWAY_CHAT_AGENTS_TRIES", "2")
        .with("GATEWAY_CHAT_AGENTS_INITIAL_BACKOFF", "10ms")
        .with("GATEWAY_CHAT_AGENTS_MAX_BACKOFF", "20ms")
        .with("GATEWAY_CHATS_POLL_INTERVAL", "20ms")
        .with("GATEWAY_CHATS_INBOUND_WEBHOOK_TIMEOUT", "200ms")
        .with("GATEWAY_CHATS_INBOUND_WEBHOOK_INITIAL_BACKOFF", "10ms")
        .with("GATEWAY_CHATS_INBOUND_WEBHOOK_MAX_BACKOFF", "20ms")
        .with("GATEWAY_INBOUND_SWEEP_INTERVAL", "200ms")
        .start());
    api = new ChatsTesting(gateway);
  }

  @AfterAll
  static void stop() {
    api.close();
    Await.result(gateway.stop());
    agent.close();
    Await.result(webhookVertx.close());
  }

  private static String webhookUrl() {
    return "http://127.0.0.1:" + webhook.actualPort() + "/chat-inbound";
  }

  @Test
  void aThreeTurnConversationReachesTheAgentWithItsHistoryAndEveryReplyIsSent() {
    String number = api.chatNumber(WORKSPACE, "agent_support", null);
    String customer = freshNumber();

    for (String text : List.of("hello", "what are your hours?", "thanks")) {
      api.text(customer, number, text);
      int turns = agent.requestsFor(customer).size() + 1;
      Await.until("the agent answered turn " + turns, () -> contents(api.onlyChat(number, customer), "agent").size() == turns);
    }

    JsonObject chat = api.onlyChat(number, customer);
    assertThat(chat.getString("chat_type")).isEqualTo("sms_chat");
    assertThat(chat.getString("chat_status")).isEqualTo("ongoing");
    assertThat(chat.getString("agent_id")).isEqualTo("agent_support");
    assertThat(chat.getString("agent_number")).isEqualTo(number);
    assertThat(ChatsTesting.messages(chat).stream().map(m -> m.getString("role") + ": " + m.getString("content"))).containsExactly(
        "user: hello", "agent: echo: hello (turn 1)",
        "user: what are your hours?", "agent: echo: what are your hours? (turn 2)",
        "user: thanks", "agent: echo: thanks (turn 3)");
    ChatAgentStandIn.Received third = agent.requestsFor(customer).get(2);
    assertThat(third.messages().stream().map(m -> m.getString("content"))).containsExactly(
        "hello", "echo: hello (turn 1)", "what are your hours?", "echo: what are your hours? (turn 2)", "thanks");
    assertThat(third.body().getString("workspace_id")).isEqualTo(WORKSPACE);
    assertThat(third.body().getString("agent_number")).isEqualTo(number);
    Matcher signature = SIGNATURE.matcher(third.signature());
    assertThat(signature.matches()).as(third.signature()).isTrue();
    assertThat(signature.group(2)).isEqualTo(hmacHex(AGENT_SECRET, signature.group(1) + "." + third.rawBody()));
    List<String> replyIds = ChatsTesting.messages(chat).stream().filter(m -> "agent".equals(m.getString("role")))
        .map(m -> m.getString("message_id")).toList();
    for (String id : replyIds) {
      var sent = api.http().get("/v1/messages/" + id, ChatsTesting.ADMIN).bodyAsJsonObject();
      assertThat(sent.getString("from_number")).isEqualTo(number);
      assertThat(sent.getString("to_number")).isEqualTo(customer);
      assertThat(sent.getString("chat_id")).isEqualTo(chat.getString("chat_id"));
    }
  }

  @Test
  void fiveTextsSentAtOnceLandInOneChatAndTheAgentSeesEachOnceInOrder() {
    String number = api.chatNumber(WORKSPACE, "agent_support", null);
    String customer = freshNumber();
    agent.behaveFor(customer, request -> new ChatAgentStandIn.Reply(200, ChatAgentStandIn.answer(false, "got " + request.userTexts().size()), 150));
    List<String> texts = List.of("one", "two", "three", "four", "five");

    CompletableFuture.allOf(texts.stream()
        .map(text -> CompletableFuture.runAsync(() -> api.text(customer, number, text)))
        .toArray(CompletableFuture[]::new)).join();

    Await.until("every text was answered", () -> !agent.requestsFor(customer).isEmpty()
        && agent.requestsFor(customer).get(agent.requestsFor(customer).size() - 1).userTexts().size() == 5
        && pendingTurn(number, customer) == null);
    JsonObject chat = api.onlyChat(number, customer);
    List<String> stored = contents(chat, "user");
    assertThat(stored).containsExactlyInAnyOrderElementsOf(texts);
    List<String> seenLast = agent.requestsFor(customer).get(agent.requestsFor(customer).size() - 1).userTexts();
    assertThat(seenLast).as("the agent's view of the conversation is the chat's").isEqualTo(stored);
    // Each turn saw the earlier turns' texts first, then only the texts new to it, in arrival order: none lost, none twice.
    List<String> arrival = storedArrivalOrder(chat.getString("chat_id"));
    List<String> before = List.of();
    for (ChatAgentStandIn.Received turn : agent.requestsFor(customer)) {
      assertThat(turn.userTexts().subList(0, before.size())).isEqualTo(before);
      List<String> added = turn.userTexts().subList(before.size(), turn.userTexts().size());
      assertThat(added).isSortedAccordingTo(java.util.Comparator.comparing(arrival::indexOf));
      before = turn.userTexts();
    }
  }

  @Test
  void aRejectingWebhookDropsTheTextWithoutChatOrReply() {
    String customer = freshNumber();
    webhookAnswers.put(customer, new JsonObject().put("chat_inbound", new JsonObject().put("reject", true)));
    String number = api.chatNumber(WORKSPACE, "agent_support", webhookUrl());

    String sid = api.text(customer, number, "spam spam");

    Await.until("the text is rejected", () -> "rejected".equals(storedMessage(sid).getString("status")));
    assertThat(storedMessage(sid).getString("chat_id")).isNull();
    assertThat(api.chatsOf(number, customer)).isEmpty();
    assertThat(agent.requestsFor(customer)).isEmpty();
    assertThat(webhookRequests.stream().filter(r -> customer.equals(r.getJsonObject("chat_inbound").getString("from_number"))))
        .singleElement()
        .satisfies(event -> {
          assertThat(event.getString("event")).isEqualTo("chat_inbound");
          assertThat(event.getJsonObject("chat_inbound").getString("body")).isEqualTo("spam spam");
          assertThat(event.getJsonObject("chat_inbound").getString("to_number")).isEqualTo(number);
          assertThat(event.getJsonObject("chat_inbound").getString("agent_id")).isEqualTo("agent_support");
        });
  }

  @Test
  void theWebhooksOverrideAgentDynamicVariablesAndMetadataReachTheAgentAndItIsSignedWithTheWorkspaceSecret() {
    String workspace = "ws_chats_signed";
    var secret = api.http().postJson("/v1/workspaces/" + workspace + "/webhook-secret", ChatsTesting.ADMIN, new JsonObject());
    assertThat(secret.statusCode()).as(secret.bodyAsString()).isEqualTo(201);
    String key = secret.bodyAsJsonObject().getString("webhook_secret");
    String customer = freshNumber();
    webhookAnswers.put(customer, new JsonObject().put("chat_inbound", new JsonObject()
        .put("override_agent_id", "agent_vip")
        .put("dynamic_variables", new JsonObject().put("customer_name", "Ada"))
        .put("metadata", new JsonObject().put("crm_id", "42"))));
    String number = api.chatNumber(workspace, "agent_support", webhookUrl());

    api.text(customer, number, "hi, it's Ada");

    Await.until("the agent answered", () -> contents(api.onlyChat(number, customer), "agent").size() == 1);
    ChatAgentStandIn.Received turn = agent.requestsFor(customer).get(0);
    assertThat(turn.body().getString("agent_id")).isEqualTo("agent_vip");
    assertThat(turn.body().getJsonObject("dynamic_variables")).isEqualTo(new JsonObject().put("customer_name", "Ada"));
    assertThat(turn.body().getJsonObject("metadata")).isEqualTo(new JsonObject().put("crm_id", "42"));
    JsonObject chat = api.onlyChat(number, customer);
    assertThat(chat.getString("agent_id")).isEqualTo("agent_vip");
    String signed = webhookSignatures.stream().filter(s -> s.contains(customer)).findFirst().orElseThrow();
    Matcher signature = SIGNATURE.matcher(signed.substring(0, signed.indexOf('|')));
    assertThat(signature.matches()).as(signed).isTrue();
    assertThat(signature.group(2)).isEqualTo(hmacHex(key, signature.group(1) + "." + signed.substring(signed.indexOf('|') + 1)));
  }

  @Test
  void aWebhookThatNeverAnswersIsTriedThreeTimesThenTheNumbersOwnAgentAnswers() {
    String customer = freshNumber();
    webhookAnswers.put(customer, NEVER_ANSWER);
    String number = api.chatNumber(WORKSPACE, "agent_support", webhookUrl());

    api.text(customer, number, "anyone there?");

    Await.until("the agent answered", () -> contents(api.onlyChat(number, customer), "agent").size() == 1);
    assertThat(agent.requestsFor(customer).get(0).body().getString("agent_id")).isEqualTo("agent_support");
    assertThat(webhookRequests.stream().filter(r -> customer.equals(r.getJsonObject("chat_inbound").getString("from_number")))).hasSize(3);
    assertThat(gateway.registry().get("gateway.chats.inbound_webhook.outcomes").tag("outcome", "failed").counter().count()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void stopEndsTheChatLaterTextsDoNotReachTheAgentAndStartResumes() {
    String number = api.chatNumber(WORKSPACE, "agent_support", null);
    String customer = freshNumber();
    api.text(customer, number, "hello");
    Await.until("the agent answered", () -> contents(api.onlyChat(number, customer), "agent").size() == 1);
    String firstChat = api.onlyChat(number, customer).getString("chat_id");

    api.text(customer, number, "STOP");
    Await.until("the chat ended", () -> "ended".equals(api.chat(firstChat).getString("chat_status")));
    String ignored = api.text(customer, number, "are you still there?");
    Await.until("the text is dispatched", () -> !"pending".equals(storedMessage(ignored).getString("dispatch_state")));

    assertThat(api.chat(firstChat).getString("end_reason")).isEqualTo("opted_out");
    assertThat(storedMessage(ignored).getString("dispatch_state")).isEqualTo("unrouted");
    assertThat(agent.requestsFor(customer)).hasSize(1);

    api.text(customer, number, "START");
    api.text(customer, number, "back again");
    Await.until("a new chat is answered", () -> api.chatsOf(number, customer).size() == 2
        && contents(api.chat(api.chatsOf(number, customer).get(0).getString("chat_id")), "agent").size() == 1);
    JsonObject resumed = api.chat(api.chatsOf(number, customer).get(0).getString("chat_id"));
    assertThat(contents(resumed, "user")).containsExactly("back again");
    assertThat(resumed.getString("chat_status")).isEqualTo("ongoing");
  }

  @Test
  void anAgentThatKeepsFailingLeavesTheChatInErrorAndTheNextTextRetriesIt() {
    String number = api.chatNumber(WORKSPACE, "agent_support", null);
    String customer = freshNumber();
    agent.behaveFor(customer, request -> new ChatAgentStandIn.Reply(503, null, 0));
    double failuresBefore = gateway.registry().get("gateway.chats.agent_turn.failures").counter().count();

    api.text(customer, number, "hello?");
    Await.until("the chat shows error", () -> "error".equals(api.onlyChat(number, customer).getString("chat_status")));
    assertThat(agent.requestsFor(customer)).hasSize(2);
    assertThat(gateway.registry().get("gateway.chats.agent_turn.failures").counter().count()).isEqualTo(failuresBefore + 1);

    agent.behaveFor(customer, ChatAgentStandIn::echo);
    api.text(customer, number, "hello again");
    Await.until("the agent answered", () -> contents(api.onlyChat(number, customer), "agent").size() == 1);
    JsonObject chat = api.onlyChat(number, customer);
    assertThat(chat.getString("chat_status")).isEqualTo("ongoing");
    assertThat(contents(chat, "user")).containsExactly("hello?", "hello again");
  }

  @Test
  void anAgentThatEndsTheChatHasItsRepliesSentFirstAndTheNextTextOpensANewChat() {
    String number = api.chatNumber(WORKSPACE, "agent_support", null);
    String customer = freshNumber();
    agent.behaveFor(customer, request -> ChatAgentStandIn.Reply.ok(ChatAgentStandIn.answer(true, "Your booking is confirmed.", "Bye!")));
    api.text(customer, number, "book me for Friday");
    Await.until("the chat ended", () -> "ended".equals(api.onlyChat(number, customer).getString("chat_status")));

    JsonObject ended = api.onlyChat(number, customer);
    assertThat(ended.getString("end_reason")).isEqualTo("agent_ended");
    assertThat(contents(ended, "agent")).containsExactly("Your booking is confirmed.", "Bye!");

    agent.behaveFor(customer, ChatAgentStandIn::echo);
    api.text(customer, number, "one more thing");
    Await.until("a second chat", () -> api.chatsOf(number, customer).size() == 2);
    assertThat(api.chatsOf(number, customer).get(0).getString("chat_status")).isEqualTo("ongoing");
  }

  @Test
  void aWebhookUrlIsCheckedWhenSetAndTheNumberSaysWhetherItsWebhookIsSigned() {
    String number = api.chatNumber("ws_chats_unsigned", "agent_support", null);

    JsonObject unsigned = api.setChatSettings(number, "agent_support", webhookUrl(), null, null);
    var refused = api.http().request(io.vertx.core.http.HttpMethod.PATCH, "/v1/sms-numbers/" + number)
        .putHeader("Authorization", "Bearer " + ChatsTesting.ADMIN).putHeader("Content-Type", "application/json");
    var response = com.smsgateway.testing.Http.send(refused, new JsonObject().put("inbound_webhook_url", "http://hooks.example.com/in").toBuffer());

    assertThat(unsigned.getBoolean("inbound_webhook_signed")).isFalse();
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(ChatsTesting.errorCode(response)).isEqualTo("webhook_url_not_allowed");
  }

  @Test
  void aNumberWithoutChatAgentLeavesTheTextUnrouted() {
    String number = api.chatNumber(WORKSPACE, null, null);
    String customer = freshNumber();

    String sid = api.text(customer, number, "hello");

    Await.until("the text is dispatched", () -> !"pending".equals(storedMessage(sid).getString("dispatch_state")));
    assertThat(storedMessage(sid).getString("dispatch_state")).isEqualTo("unrouted");
    assertThat(api.chatsOf(number, customer)).isEmpty();
  }

  private static Row storedMessage(String twilioSid) {
    return Await.result(gateway.pg().preparedQuery("SELECT status, chat_id, dispatch_state FROM messages WHERE twilio_sid = $1")
        .execute(Tuple.of(twilioSid))).iterator().next();
  }

  private static Object pendingTurn(String number, String customer) {
    return Await.result(gateway.pg().preparedQuery(
            "SELECT due_at FROM chats WHERE agent_number = $1 AND customer_number = $2 AND status <> 'ended'")
        .execute(Tuple.of(number, customer))).iterator().next().getValue("due_at");
  }

  private static List<String> storedArrivalOrder(String chatId) {
    var rows = Await.result(gateway.pg().preparedQuery("""
            SELECT m.body FROM chat_messages cm JOIN messages m ON m.id = cm.message_id
            WHERE cm.chat_id = $1 AND cm.role = 'user' ORDER BY m.created_at, cm.seq""").execute(Tuple.of(chatId)));
    List<String> bodies = new java.util.ArrayList<>();
    rows.forEach(row -> bodies.add(row.getString("body")));
    return bodies;
  }

  static String hmacHex(String secret, String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
