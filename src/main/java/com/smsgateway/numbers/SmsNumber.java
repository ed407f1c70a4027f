package com.smsgateway.numbers;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One of the gateway's numbers (DESIGN.md §8). {@code accountSid} null: the platform's Twilio account.
 *
 * @param endAfterSilence seconds of silence after which a chat on this number ends; null: the chats default
 * @param twilioSid       the IncomingPhoneNumber in its account (PN…); null for numbers imported without one
 * @param brandTier       the rate-limit tier a BYO number's owner declared; null for other numbers
 */
public record SmsNumber(
    String phoneNumber,
    NumberType type,
    String workspaceId,
    String agentId,
    String accountSid,
    SmsStatus smsStatus,
    String chatAgentId,
    String inboundWebhookUrl,
    Integer endAfterSilence,
    String autoCloseMessage,
    String twilioSid,
    String brandTier,
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
    JsonObject json = new JsonObject()
        .put("phone_number", phoneNumber)
        .put("type", type.wireName())
        .put("workspace_id", workspaceId)
        .put("agent_id", agentId)
        .put("chat_agent_id", chatAgentId)
        .put("inbound_webhook_url", inboundWebhookUrl)
        .put("end_after_silence", endAfterSilence)
        .put("auto_close_message", autoCloseMessage)
        .put("account_sid", accountSid)
        .put("sms_status", smsStatus.wireName())
        .put("can_send_sms", canSendSms());
    if (type == NumberType.BYO_TWILIO) {
      json.put("brand_tier", brandTier);
    }
    return json
        .put("created_at", createdAt.toString())
        .put("updated_at", updatedAt.toString());
  }
}
