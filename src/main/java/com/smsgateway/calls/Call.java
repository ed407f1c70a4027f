package com.smsgateway.calls;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** An active phone call of an AI agent. {@code poolNumber}: the pool number pinned to it, null until its first pool SMS. */
public record Call(
    String callId,
    String workspaceId,
    String agentId,
    String agentNumber,
    String customerNumber,
    Instant createdAt,
    Instant expiresAt,
    String poolNumber) {

  CallRef ref() {
    return new CallRef(workspaceId, callId);
  }

  /** Same call as registered: a repeat of the registration with these details is answered 200. */
  boolean registeredAs(CallRequest request) {
    return callId.equals(request.callId()) && workspaceId.equals(request.workspaceId()) && agentId.equals(request.agentId())
        && agentNumber.equals(request.agentNumber()) && customerNumber.equals(request.customerNumber());
  }

  Call withPoolNumber(String number) {
    return new Call(callId, workspaceId, agentId, agentNumber, customerNumber, createdAt, expiresAt, number);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("call_id", callId)
        .put("workspace_id", workspaceId)
        .put("agent_id", agentId)
        .put("agent_number", agentNumber)
        .put("customer_number", customerNumber)
        .put("pool_number", poolNumber)
        .put("created_at", createdAt.toString())
        .put("expires_at", expiresAt.toString());
  }
}
