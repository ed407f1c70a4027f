package com.smsgateway.webhooks;

import com.smsgateway.auth.Principal;
import com.smsgateway.http.Json;
import com.smsgateway.http.Routes;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/workspaces/{workspace_id}/webhook-secret}: creates or rotates the workspace's webhook signing secret
 * and shows it, this once (admin, or the workspace's own key; another workspace's id answers 404).
 */
public final class WebhookSecretRoutes implements Routes {
  private final WebhookSecrets secrets;

  public WebhookSecretRoutes(WebhookSecrets secrets) {
    this.secrets = secrets;
  }

  @Override
  public void mount(Router router) {
    router.post("/v1/workspaces/:workspace_id/webhook-secret").handler(this::rotate);
  }

  private void rotate(RoutingContext ctx) {
    String workspaceId = ctx.pathParam("workspace_id");
    Principal principal = Principal.of(ctx);
    principal.requireNotVoicePlatform();
    principal.requireAccess(workspaceId, "Workspace '" + workspaceId + "'");
    secrets.rotate(workspaceId)
        .onSuccess(created -> Json.respond(ctx, 201, new JsonObject()
            .put("workspace_id", created.workspaceId())
            .put("webhook_secret", created.secret())
            .put("signature_header", GatewaySignature.HEADER)
            .put("created_at", created.createdAt().toString())))
        .onFailure(ctx::fail);
  }
}
