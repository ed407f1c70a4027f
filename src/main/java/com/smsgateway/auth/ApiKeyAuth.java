package com.smsgateway.auth;

import com.smsgateway.domain.DomainFailure;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;

/**
 * Resolves {@code Authorization: Bearer <key>} to a {@link Principal} for every {@code /v1/**} route. The bootstrap
 * admin key is compared in memory and never looked up; stored keys go through {@link ActiveApiKeys} (cached).
 */
public final class ApiKeyAuth implements Handler<RoutingContext> {
  static final String ADMIN_KEY_ID = "bootstrap-admin";
  private final ActiveApiKeys keys;
  private final byte[] adminKeyHash;

  /** Without a bootstrap admin key, only keys stored in PostgreSQL are accepted. */
  public ApiKeyAuth(ActiveApiKeys keys, java.util.Optional<String> bootstrapAdminKey) {
    this.keys = keys;
    this.adminKeyHash = bootstrapAdminKey.map(ApiKeySecrets::hash).orElse(null);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
      ctx.fail(DomainFailure.unauthenticated("Send 'Authorization: Bearer <api key>'."));
      return;
    }
    byte[] presented = ApiKeySecrets.hash(header.substring(7).trim());
    if (adminKeyHash != null && MessageDigest.isEqual(presented, adminKeyHash)) {
      new Principal(ADMIN_KEY_ID, Principal.Role.ADMIN, null).attachTo(ctx);
      ctx.next();
      return;
    }
    keys.find(presented)
        .onSuccess(found -> {
          if (found.isEmpty()) {
            ctx.fail(DomainFailure.unauthenticated("The API key is unknown or revoked."));
          } else {
            ApiKeyStore.ApiKey key = found.get();
            new Principal(key.id(), key.role(), key.workspaceId()).attachTo(ctx);
            ctx.next();
          }
        })
        .onFailure(ctx::fail);
  }
}
