package com.smsgateway.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** API keys in PostgreSQL: only the hash of a key is stored. */
public final class ApiKeyStore {
  private static final String COLUMNS = "id, role, workspace_id, created_at, revoked_at";
  private static final String INSERT =
      "INSERT INTO api_keys (id, key_hash, role, workspace_id) VALUES ($1, $2, $3, $4) RETURNING " + COLUMNS;
  private static final String FIND_ACTIVE_BY_HASH =
      "SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL";
  private static final String FIND_BY_ID = "SELECT " + COLUMNS + " FROM api_keys WHERE id = $1";
  private static final String LIST =
      "SELECT " + COLUMNS + " FROM api_keys WHERE ($1::text IS NULL OR workspace_id = $1) ORDER BY created_at, id";
  private static final String REVOKE =
      "UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING key_hash";

  private final Pool pool;

  public ApiKeyStore(Pool pool) {
    this.pool = pool;
  }

  public record ApiKey(String id, Principal.Role role, String workspaceId, OffsetDateTime createdAt, OffsetDateTime revokedAt) {
    JsonObject toJson() {
      return new JsonObject()
          .put("id", id)
          .put("role", role.wire())
          .put("workspace_id", workspaceId)
          .put("created_at", createdAt.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString())
          .put("revoked_at", revokedAt == null ? null : revokedAt.toInstant().toString());
    }
  }

  public Future<ApiKey> insert(String id, byte[] keyHash, Principal.Role role, String workspaceId) {
    return pool.preparedQuery(INSERT)
        .execute(Tuple.of(id, keyHash, role.wire(), workspaceId))
        .map(rows -> toKey(rows.iterator().next()));
  }

  public Future<Optional<ApiKey>> findActiveByHash(byte[] keyHash) {
    return pool.preparedQuery(FIND_ACTIVE_BY_HASH).execute(Tuple.of(keyHash)).map(ApiKeyStore::first);
  }

  public Future<Optional<ApiKey>> findById(String id) {
    return pool.preparedQuery(FIND_BY_ID).execute(Tuple.of(id)).map(ApiKeyStore::first);
  }

  public Future<List<ApiKey>> list(String workspaceId) {
    return pool.preparedQuery(LIST)
        .execute(Tuple.of(workspaceId))
        .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(ApiKeyStore::toKey).toList());
  }

  /** The hash of the key revoked now; empty if there is no such key or it was revoked before. */
  public Future<Optional<byte[]>> revoke(String id) {
    return pool.preparedQuery(REVOKE).execute(Tuple.of(id)).map(rows -> {
      var it = rows.iterator();
      return it.hasNext() ? Optional.of(it.next().getBuffer("key_hash").getBytes()) : Optional.empty();
    });
  }

  private static Optional<ApiKey> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(toKey(it.next())) : Optional.empty();
  }

  private static ApiKey toKey(Row row) {
    return new ApiKey(
        row.getString("id"),
        Principal.Role.valueOf(row.getString("role").toUpperCase()),
        row.getString("workspace_id"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("revoked_at"));
  }
}
