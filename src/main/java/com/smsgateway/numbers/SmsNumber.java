package com.smsgateway.numbers;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** One of the gateway's numbers (DESIGN.md §8). {@code accountSid} null: the platform's Twilio account. */
public record SmsNumber(
    String phoneNumber,
    NumberType type,
    String workspaceId,
    String agentId,
    String accountSid,
    SmsStatus smsStatus,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * A customer's own Twilio number always may send (their account carries the registration); platform and pool
   * numbers only while enabled.
   */
  public boolean canSendSms() {
    return type == NumberType.BYO_TWILIO || smsStatus == SmsStatus.ENABLED;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("phone_number", phoneNumber)
        .put("type", type.wireName())
        .put("workspace_id", workspaceId)
        .put("agent_id", agentId)
        .put("account_sid", accountSid)
        .put("sms_status", smsStatus.wireName())
        .put("can_send_sms", canSendSms())
        .put("created_at", createdAt.toString())
        .put("updated_at", updatedAt.toString());
  }
}
