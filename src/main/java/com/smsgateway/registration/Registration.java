package com.smsgateway.registration;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One registration step as stored: its kind, id, workspace, status and the step's own fields ({@code fields}, as the
 * API shows them). {@code stale} is computed on reading: pending longer than {@code registration.stale_after}.
 */
public record Registration(
    RegistrationKind kind,
    String id,
    String workspaceId,
    String status,
    String rejectionReason,
    JsonObject fields,
    String twilioSid,
    Instant submittedAt,
    Instant decidedAt,
    Instant createdAt,
    Instant updatedAt) {

  public boolean isStale(Clock clock, Duration staleAfter) {
    return "pending".equals(status) && submittedAt.plus(staleAfter).isBefore(clock.instant());
  }

  public JsonObject toJson(Clock clock, Duration staleAfter) {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("workspace_id", workspaceId)
        .put("status", status)
        .put("rejection_reason", rejectionReason)
        .put("stale", isStale(clock, staleAfter));
    fields.forEach(field -> json.put(field.getKey(), field.getValue()));
    return json
        .put("submitted_at", submittedAt.toString())
        .put("decided_at", decidedAt == null ? null : decidedAt.toString())
        .put("created_at", createdAt.toString())
        .put("updated_at", updatedAt.toString());
  }
}
