package com.smsgateway.auth;

import com.smsgateway.cache.ReadCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The active key for a presented key's hash, read from PostgreSQL at most once per {@code api_keys.cache_ttl} on each
 * replica instead of on every request (unknown keys too, so a client retrying a wrong key does not read PostgreSQL per
 * request). Inserts and revocations go through here so this replica's cache never outlives them: a key works at once
 * where it was created and stops at once where it was revoked; other replicas see a revocation within the TTL.
 */
public final class ActiveApiKeys {
  private final ApiKeyStore store;
  /** Keyed by the hex of the key's SHA-256: a {@code byte[]} has no value equality. */
  private final ReadCache<String, Optional<ApiKeyStore.ApiKey>> cache;

  public ActiveApiKeys(ApiKeyStore store, ApiKeysConfig config, MeterRegistry registry) {
    this.store = store;
    this.cache = new ReadCache<>("api_keys", config.cacheTtl(), config.cacheMaxEntries(), Clock.systemUTC(), registry);
  }

  Future<Optional<ApiKeyStore.ApiKey>> find(byte[] keyHash) {
    return cache.get(cacheKey(keyHash), () -> store.findActiveByHash(keyHash));
  }

  /**
   * A fresh random key cannot have been presented (and cached as unknown) before; forgetting its hash anyway makes "a
   * new key works at once on this replica" hold by construction, not by the key's randomness.
   */
  Future<ApiKeyStore.ApiKey> insert(String id, byte[] keyHash, Principal.Role role, String workspaceId) {
    return store.insert(id, keyHash, role, workspaceId).map(saved -> {
      cache.invalidate(cacheKey(keyHash));
      return saved;
    });
  }

  /** Whether the key was active; if so, this replica refuses it from now on. */
  Future<Boolean> revoke(String id) {
    return store.revoke(id).map(revokedHash -> {
      revokedHash.ifPresent(hash -> cache.invalidate(cacheKey(hash)));
      return revokedHash.isPresent();
    });
  }

  private static String cacheKey(byte[] keyHash) {
    return HexFormat.of().formatHex(keyHash);
  }
}
