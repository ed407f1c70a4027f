package com.smsgateway.auth;

import com.smsgateway.domain.DomainFailure;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who is calling: an admin, or a workspace. Every route that touches workspace data goes through
 * {@link #requireAccess} (one resource) or {@link #workspaceFilter} (lists), so scoping lives in one place.
 */
public record Principal(String keyId, Role role, String workspaceId) {
  private static final String CONTEXT_KEY = "gateway.principal";

  public enum Role { ADMIN, WORKSPACE }

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

  public void requireAdmin() {
    if (!isAdmin()) {
      throw DomainFailure.forbidden("admin_required", "This route needs an admin API key.");
    }
  }

  /**
   * A resource of {@code resourceWorkspaceId} is visible to admins and to its own workspace; to anyone else
   * it does not exist (404), so ids of other workspaces leak nothing.
   */
  public void requireAccess(String resourceWorkspaceId, String resourceDescription) {
    if (!canAccess(resourceWorkspaceId)) {
      throw DomainFailure.notFound(resourceDescription);
    }
  }

  /** A looked-up resource, if it exists and this caller may see it; otherwise 404 either way. */
  public <T> T requireVisible(Optional<T> found, Function<T, String> workspaceOf, String resourceDescription) {
    T resource = found.orElseThrow(() -> DomainFailure.notFound(resourceDescription));
    requireAccess(workspaceOf.apply(resource), resourceDescription);
    return resource;
  }

  public boolean canAccess(String resourceWorkspaceId) {
    return isAdmin() || Objects.equals(workspaceId, resourceWorkspaceId);
  }

  /** For a request that names a workspace to act in (a body field): a workspace key may only name its own. */
  public void requireActingFor(String requestedWorkspaceId) {
    if (!canAccess(requestedWorkspaceId)) {
      throw DomainFailure.forbidden("workspace_forbidden", "This key belongs to another workspace than '" + requestedWorkspaceId + "'.");
    }
  }

  /** Lists: admins see every workspace (or the one they ask for), a workspace key only its own. */
  public Optional<String> workspaceFilter(String requested) {
    if (isAdmin()) {
      return Optional.ofNullable(requested);
    }
    if (requested != null && !requested.equals(workspaceId)) {
      throw DomainFailure.forbidden("workspace_forbidden", "This key belongs to another workspace than '" + requested + "'.");
    }
    return Optional.of(workspaceId);
  }
}
