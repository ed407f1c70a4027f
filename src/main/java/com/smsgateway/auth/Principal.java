package com.smsgateway.auth;

import com.smsgateway.domain.DomainFailure;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who is calling: an admin, the voice platform, or a workspace. What each role may do is decided here and nowhere
 * else: every route that touches workspace data goes through {@link #requireAccess} (one resource),
 * {@link #workspaceFilter} (lists) or {@link #requireActingFor} (a named workspace); calls go through
 * {@link #requireCallControl} (register, end, text) and {@link #requireCallAccess} (read).
 *
 * <ul>
 *   <li>{@code admin}: everything.</li>
 *   <li>{@code voice_platform}: the voice platform's service key. Registers and ends calls and sends in-call SMS for
 *       any workspace, and reads those calls; nothing else (numbers, keys, registrations, messages: 403).</li>
 *   <li>{@code workspace}: its own workspace's data; reads its own calls and their texts, but may not register,
 *       end or text from a call (that would let a tenant text any US number from the shared pool).</li>
 * </ul>
 */
public record Principal(String keyId, Role role, String workspaceId) {
  private static final String CONTEXT_KEY = "gateway.principal";

  public enum Role {
    ADMIN, VOICE_PLATFORM, WORKSPACE;

    /** The role as the API writes it: {@code admin}, {@code voice_platform}, {@code workspace}. */
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static Principal of(RoutingContext ctx) {
    Principal principal = ctx.get(CONTEXT_KEY);
    if (principal == null) {
      throw DomainFailure.unauthenticated("Send 'Authorization: Bearer <api key>'.");
    }
    return principal;
  }

  void attachTo(RoutingContext ctx) {
    ctx.put(CONTEXT_KEY, this);
  }

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  /** Admin and voice-platform keys act for any workspace on calls; a workspace key only reads its own. */
  public boolean actsForAnyWorkspaceOnCalls() {
    return role != Role.WORKSPACE;
  }

  public void requireAdmin() {
    if (!isAdmin()) {
      throw DomainFailure.forbidden("admin_required", "This route needs an admin API key.");
    }
  }

  /** Registering and ending calls and texting from them: the voice platform's key or an admin's (403 {@code forbidden}). */
  public void requireCallControl() {
    if (!actsForAnyWorkspaceOnCalls()) {
      throw DomainFailure.forbidden("forbidden",
          "Only the voice platform's key (role voice_platform) or an admin key may register, end or text from calls;"
              + " a workspace key may read its own calls.");
    }
  }

  /** A call of {@code callWorkspaceId}: visible to admin and voice-platform keys and to its own workspace; 404 otherwise. */
  public void requireCallAccess(String callWorkspaceId, String callDescription) {
    if (!actsForAnyWorkspaceOnCalls() && !Objects.equals(workspaceId, callWorkspaceId)) {
      throw DomainFailure.notFound(callDescription);
    }
  }

  /** Lists of calls: admin and voice-platform keys name the workspace they want (or none), a workspace key only its own. */
  public Optional<String> callWorkspaceFilter(String requested) {
    return actsForAnyWorkspaceOnCalls() ? Optional.ofNullable(requested) : workspaceFilter(requested);
  }

  /**
   * A resource of {@code resourceWorkspaceId} is visible to admins and to its own workspace; to another workspace it
   * does not exist (404), so ids of other workspaces leak nothing. A voice-platform key has no workspace data (403).
   */
  public void requireAccess(String resourceWorkspaceId, String resourceDescription) {
    requireNotVoicePlatform();
    if (!canAccess(resourceWorkspaceId)) {
      throw DomainFailure.notFound(resourceDescription);
    }
  }

  /** A looked-up resource, if it exists and this caller may see it; otherwise 404 either way. */
  public <T> T requireVisible(Optional<T> found, Function<T, String> workspaceOf, String resourceDescription) {
    requireNotVoicePlatform();
    T resource = found.orElseThrow(() -> DomainFailure.notFound(resourceDescription));
    requireAccess(workspaceOf.apply(resource), resourceDescription);
    return resource;
  }

  public boolean canAccess(String resourceWorkspaceId) {
    return isAdmin() || (role == Role.WORKSPACE && Objects.equals(workspaceId, resourceWorkspaceId));
  }

  /** For a request that names a workspace to act in (a body field): a workspace key may only name its own. */
  public void requireActingFor(String requestedWorkspaceId) {
    requireNotVoicePlatform();
    if (!canAccess(requestedWorkspaceId)) {
      throw DomainFailure.forbidden("workspace_forbidden", "This key belongs to another workspace than '" + requestedWorkspaceId + "'.");
    }
  }

  /**
   * The workspace a create request acts for: a workspace key its own (naming another is 403), an admin the one it
   * names ({@code workspace_id} required).
   */
  public String actingWorkspace(String requestedWorkspaceId) {
    requireNotVoicePlatform();
    if (isAdmin()) {
      if (requestedWorkspaceId == null || requestedWorkspaceId.isBlank()) {
        throw DomainFailure.invalidField("workspace_id", "is required with an admin key");
      }
      return requestedWorkspaceId;
    }
    if (requestedWorkspaceId != null) {
      requireActingFor(requestedWorkspaceId);
    }
    return workspaceId;
  }

  /** Lists: admins see every workspace (or the one they ask for), a workspace key only its own. */
  public Optional<String> workspaceFilter(String requested) {
    requireNotVoicePlatform();
    if (isAdmin()) {
      return Optional.ofNullable(requested);
    }
    if (requested != null && !requested.equals(workspaceId)) {
      throw DomainFailure.forbidden("workspace_forbidden", "This key belongs to another workspace than '" + requested + "'.");
    }
    return Optional.of(workspaceId);
  }

  /** Workspace data (numbers, chats, secrets) is for admin and workspace keys: a voice_platform key gets 403. */
  public void requireNotVoicePlatform() {
    if (role == Role.VOICE_PLATFORM) {
      throw DomainFailure.forbidden("forbidden",
          "A voice_platform key registers, ends and texts from calls only; this route needs an admin or a workspace key.");
    }
  }
}
