package com.smsgateway.webhooks;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Each workspace's webhook signing secret: the key of {@code X-Gateway-Signature} on the webhooks the gateway calls for
 * that workspace. Created or rotated on request and shown only then; until one exists, webhooks go unsigned.
 */
public final class WebhookSecrets {
  private static final String PREFIX = "whsec_";
  private static final int SECRET_BYTES = 32;
  private static final String ROTATE = """
      INSERT INTO workspace_webhook_secrets (workspace_id, secret) VALUES ($1, $2)
      ON CONFLICT (workspace_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = now()
      RETURNING created_at
      """;
  private static final String FIND = "SELECT secret FROM workspace_webhook_secrets WHERE workspace_id = $1";

  /** A secret as created: shown to the customer this once. */
  public record Created(String workspaceId, String secret, Instant createdAt) {}

  private final Pool pool;
  private final SecureRandom random = new SecureRandom();

  public WebhookSecrets(Pool pool) {
    this.pool = pool;
  }

  /** A new secret for the workspace, replacing the one it had (webhooks are signed with the new one from now on). */
  public Future<Created> rotate(String workspaceId) {
    byte[] bytes = new byte[SECRET_BYTES];
    random.nextBytes(bytes);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    return pool.preparedQuery(ROTATE).execute(Tuple.of(workspaceId, secret))
        .map(rows -> new Created(workspaceId, secret, rows.iterator().next().getOffsetDateTime("created_at").toInstant()));
  }

  /** The workspace's secret, or empty when it has none (its webhooks go unsigned). */
  public Future<Optional<String>> find(String workspaceId) {
    return pool.preparedQuery(FIND).execute(Tuple.of(workspaceId)).map(rows -> {
      var it = rows.iterator();
      return it.hasNext() ? Optional.of(it.next()).map((Row row) -> row.getString("secret")) : Optional.empty();
    });
  }
}
