package com.smsgateway.dev;

import com.smsgateway.Gateway;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Tuple;

/** The dev mode's demo workspace: an enabled platform number with the demo chat agent attached, and a workspace API key. */
final class DemoWorkspace {
  static final String WORKSPACE_ID = "ws_demo";
  static final String NUMBER = "+14155550142";
  static final String CHAT_AGENT_ID = "demo_chat_agent";

  private DemoWorkspace() {}

  /** Seeds the workspace (idempotent) and answers a new workspace API key. */
  static String seed(Gateway gateway, String adminKey) {
    gateway.pg().preparedQuery("""
            INSERT INTO sms_numbers (phone_number, type, workspace_id, agent_id, sms_status, chat_agent_id)
            VALUES ($1, 'platform', $2, 'demo_voice_agent', 'enabled', $3)
            ON CONFLICT (phone_number) DO UPDATE SET chat_agent_id = EXCLUDED.chat_agent_id, sms_status = 'enabled'""")
        .execute(Tuple.of(NUMBER, WORKSPACE_ID, CHAT_AGENT_ID)).await();
    WebClient client = WebClient.create(gateway.vertx());
    try {
      var created = client.post(gateway.port(), "127.0.0.1", "/v1/api-keys")
          .putHeader("Authorization", "Bearer " + adminKey)
          .sendJsonObject(new JsonObject().put("role", "workspace").put("workspace_id", WORKSPACE_ID))
          .await();
      return created.bodyAsJsonObject().getString("key");
    } finally {
      client.close();
    }
  }
}
