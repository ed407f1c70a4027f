package com.smsgateway.chats;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The chats' SQL on the {@code messages} table, kept in one place: it moves to the messages package (the table's one
 * owner) as named operations once that exists. A chat's texts are rows of {@code messages} with {@code chat_id} set,
 * listed in conversation order by {@code chat_messages}.
 */
final class ChatMessages {
  private static final String ATTACH_TO_CHAT =
      "UPDATE messages SET chat_id = $2, workspace_id = coalesce(workspace_id, $3), updated_at = now() WHERE id = $1";
  private static final String ADD = """
      INSERT INTO chat_messages (message_id, chat_id, role, turn) VALUES ($1, $2, $3, $4)
      ON CONFLICT (message_id) DO NOTHING
      """;
  /**
   * Answered turns in order (the customer's texts before the agent's replies), then the texts no turn answered yet;
   * within each, in arrival order (seq breaks ties between texts stored by one commit).
   */
  private static final String HISTORY = """
      SELECT m.id, cm.role, m.body, m.media, m.status, m.created_at, cm.seq, cm.turn
      FROM chat_messages cm JOIN messages m ON m.id = cm.message_id
      WHERE cm.chat_id = $1
      ORDER BY coalesce(cm.turn, 2147483647), cm.role = 'agent', m.created_at, cm.seq
      """;
  private static final String REJECT = """
      UPDATE messages SET status = 'rejected', chat_id = NULL, updated_at = now()
      WHERE id IN (SELECT message_id FROM chat_messages WHERE chat_id = $1)
      """;

  private final Pool pool;

  ChatMessages(Pool pool) {
    this.pool = pool;
  }

  /** A customer's text joins a chat (in the caller's transaction, which holds the chat row's lock). */
  Future<Void> attachInbound(SqlClient tx, String messageId, String chatId, String workspaceId) {
    return tx.preparedQuery(ATTACH_TO_CHAT).execute(Tuple.of(messageId, chatId, workspaceId))
        .compose(attached -> tx.preparedQuery(ADD).execute(Tuple.of(messageId, chatId, ChatMessage.USER, null)))
        .mapEmpty();
  }

  /** An agent's text (already stored by the outbound pipeline with its chat_id) takes its place in the chat. */
  Future<Void> addAgentText(SqlClient client, String messageId, String chatId, int turn) {
    return client.preparedQuery(ADD).execute(Tuple.of(messageId, chatId, ChatMessage.AGENT, turn)).mapEmpty();
  }

  Future<List<ChatMessage>> history(String chatId) {
    return pool.preparedQuery(HISTORY).execute(Tuple.of(chatId)).map(rows -> {
      List<ChatMessage> messages = new ArrayList<>();
      rows.forEach(row -> {
        Object media = row.getValue("media");
        messages.add(new ChatMessage(row.getString("id"), row.getString("role"), row.getString("body"),
            media instanceof JsonArray array ? array : new JsonArray(), row.getString("status"),
            row.getOffsetDateTime("created_at").toInstant(), row.getLong("seq"), row.getInteger("turn")));
      });
      return messages;
    });
  }

  /** The customer's webhook rejected the chat: its texts stay stored, marked rejected, in no chat. */
  Future<Void> reject(SqlClient tx, String chatId) {
    return tx.preparedQuery(REJECT).execute(Tuple.of(chatId)).mapEmpty();
  }
}
