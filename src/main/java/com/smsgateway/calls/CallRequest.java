package com.smsgateway.calls;

/** The voice platform's registration of a call: {@code POST /v1/calls}. */
public record CallRequest(String callId, String workspaceId, String agentId, String agentNumber, String customerNumber) {}
