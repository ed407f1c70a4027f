package com.smsgateway.auth;

import com.smsgateway.domain.DomainFailure;
import com.smsgateway.http.Idempotency;
import com.smsgateway.http.Json;
import com.smsgateway.http.Routes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/** {@code /v1/api-keys}: admins create keys; every key sees the keys of its own scope. */
public final class ApiKeyRoutes implements Routes {
  private static final String WORKSPACE_ID_PATTERN = "[A-Za-z0-9_.:-]{1,64}";
  private final ApiKeyStore store;
  /** Creating and revoking go through the cache of active keys, so this replica sees both at once. */
  private final ActiveApiKeys activeKeys;
  private final Counter created;

  public ApiKeyRoutes(ApiKeyStore store, ActiveApiKeys activeKeys, MeterRegistry registry) {
    this.store = store;
    this.activeKeys = activeKeys;
    this.created = Counter.builder("gateway.api_keys.issued").description("API keys issued").register(registry);
  }

  @Override
  public void mount(Router router) {
    router.post("/v1/api-keys").consumes("application/json").handler(this::create);
    router.get("/v1/api-keys").handler(this::list);
    router.get("/v1/api-keys/:id").handler(this::get);
    router.delete("/v1/api-keys/:id").handler(this::revoke);
  }

  private void create(RoutingContext ctx) {
    Principal.of(ctx).requireAdmin();
    JsonObject body = Json.body(ctx);
    Principal.Role role = parseRole(Json.requiredString(body, "role"));
    String workspaceId = Json.optionalString(body, "workspace_id");
    if (role == Principal.Role.WORKSPACE && workspaceId == null) {
      throw DomainFailure.invalidField("workspace_id", "is required for a workspace key");
    }
    if (workspaceId != null && !workspaceId.matches(WORKSPACE_ID_PATTERN)) {
      throw DomainFailure.invalidField("workspace_id", "must be 1-64 letters, digits or _ . : -");
    }
    if (role != Principal.Role.WORKSPACE && workspaceId != null) {
      throw DomainFailure.invalidField("workspace_id", "must be absent for " + role.wire() + " keys (they act for every workspace)");
    }
    String key = ApiKeySecrets.newKey();
    activeKeys.insert(ApiKeySecrets.newId(), ApiKeySecrets.hash(key), role, workspaceId)
        .onSuccess(saved -> {
          created.increment();
          // Shown once (DESIGN.md §3): a replay under the same Idempotency-Key answers the key's record without it.
          Idempotency.neverKept(ctx, "key");
          Json.respond(ctx, 201, saved.toJson().put("key", key));
        })
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    String workspace = Principal.of(ctx).workspaceFilter(ctx.queryParams().get("workspace_id")).orElse(null);
    store.list(workspace)
        .onSuccess(keys -> Json.respond(ctx, 200,
            new JsonObject().put("api_keys", keys.stream().map(ApiKeyStore.ApiKey::toJson).toList())))
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    visibleKey(ctx)
        .onSuccess(key -> Json.respond(ctx, 200, key.toJson()))
        .onFailure(ctx::fail);
  }

  private void revoke(RoutingContext ctx) {
    visibleKey(ctx)
        .compose(key -> activeKeys.revoke(key.id()))
        .onSuccess(revoked -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  /** The key named in the path, if the caller may see it; another workspace's key does not exist for them. */
  private io.vertx.core.Future<ApiKeyStore.ApiKey> visibleKey(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    String id = ctx.pathParam("id");
    String description = "API key '" + id + "'";
    return store.findById(id).map(found -> principal.requireVisible(found, ApiKeyStore.ApiKey::workspaceId, description));
  }

  private static Principal.Role parseRole(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "admin" -> Principal.Role.ADMIN;
      case "voice_platform" -> Principal.Role.VOICE_PLATFORM;
      case "workspace" -> Principal.Role.WORKSPACE;
      default -> throw DomainFailure.invalidField("role", "must be 'admin', 'voice_platform' or 'workspace'");
    };
  }
}
