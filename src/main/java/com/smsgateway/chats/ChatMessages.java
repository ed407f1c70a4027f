package com.smsgateway.chats;

import com.smsgateway.messages.Message;
import com.smsgateway.messages.MessageStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A chat's texts in conversation order. The texts are rows of {@code messages} (chat_id set; the messages package owns
 * that table); {@code chat_messages} says whose each is, its place ({@code seq}, taken while the chat row is locked, so
 * per chat it follows commit order) and the agent turn that answered or wrote it.
 */
final class ChatMessages {
  private static final String ADD = """
      INSERT INTO chat_messages (message_id, chat_id, role, turn) VALUES ($1, $2, $3, $4)
      ON CONFLICT (message_id) DO NOTHING
      """;
  private static final String OF_CHAT = "SELECT message_id, role, seq, turn FROM chat_messages WHERE chat_id = $1";
  private static final String IDS_OF_CHAT = "SELECT message_id FROM chat_messages WHERE chat_id = $1";
  /**
   * Answered turns in order (the customer's texts before the agent's replies), then the texts no turn answered yet;
   * within each, in arrival order (seq breaks ties between texts stored by one commit).
   */
  private static final Comparator<ChatMessage> CONVERSATION_ORDER = Comparator
      .comparingInt((ChatMessage m) -> m.turn() == null ? Integer.MAX_VALUE : m.turn())
      .thenComparing(m -> ChatMessage.AGENT.equals(m.role()))
      .thenComparing(ChatMessage::createdAt)
      .thenComparingLong(ChatMessage::seq);

  private final Pool pool;
  private final MessageStore messages;

  ChatMessages(Pool pool, MessageStore messages) {
    this.pool = pool;
    this.messages = messages;
  }

  /** A customer's text joins a chat (in the caller's transaction, which holds the chat row's lock). */
  Future<Void> attachInbound(SqlClient tx, String messageId, String chatId, String workspaceId) {
    return messages.routeToChat(tx, messageId, chatId, workspaceId)
        .compose(attached -> tx.preparedQuery(ADD).execute(Tuple.of(messageId, chatId, ChatMessage.USER, null)))
        .mapEmpty();
  }

  /** An agent's text (already stored by the outbound pipeline with its chat_id) takes its place in the chat. */
  Future<Void> addAgentText(SqlClient client, String messageId, String chatId, int turn) {
    return client.preparedQuery(ADD).execute(Tuple.of(messageId, chatId, ChatMessage.AGENT, turn)).mapEmpty();
  }

  Future<List<ChatMessage>> history(String chatId) {
    return pool.preparedQuery(OF_CHAT).execute(Tuple.of(chatId)).compose(rows -> {
      List<Row> places = new ArrayList<>();
      rows.forEach(places::add);
      if (places.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      return messages.findAll(places.stream().map(row -> row.getString("message_id")).toList()).map(texts -> conversation(places, texts));
    });
  }

  private static List<ChatMessage> conversation(List<Row> places, Map<String, Message> texts) {
    List<ChatMessage> conversation = new ArrayList<>();
    for (Row place : places) {
      Message text = texts.get(place.getString("message_id"));
      if (text != null) {
        conversation.add(new ChatMessage(text.id(), place.getString("role"), text.body(), Message.mediaJson(text.media()),
            text.status(), text.createdAt(), place.getLong("seq"), place.getInteger("turn")));
      }
    }
    conversation.sort(CONVERSATION_ORDER);
    return conversation;
  }

  /** The customer's webhook rejected the chat: its texts stay stored, marked rejected, in no chat. */
  Future<Void> reject(SqlClient tx, String chatId) {
    return tx.preparedQuery(IDS_OF_CHAT).execute(Tuple.of(chatId)).compose(rows -> {
      List<String> ids = new ArrayList<>();
      rows.forEach(row -> ids.add(row.getString("message_id")));
      return ids.isEmpty() ? Future.succeededFuture() : messages.rejectChatTexts(tx, ids);
    });
  }
}
