package com.smsgateway.auth;

import com.smsgateway.config.Config;
import java.time.Duration;

/**
 * {@code api_keys.*}: how API-key lookups are cached.
 *
 * @param cacheTtl        how long a replica answers a presented key from memory: a key revoked on another replica still
 *                        works there for at most this long (on the revoking replica it stops at once); 0 reads
 *                        PostgreSQL on every request
 * @param cacheMaxEntries keys (and unknown keys) a replica keeps at most; the least recently used go first
 */
public record ApiKeysConfig(Duration cacheTtl, int cacheMaxEntries) {
  public static ApiKeysConfig from(Config root) {
    Config section = root.at("api_keys");
    return new ApiKeysConfig(
        section.duration("cache_ttl", Duration.ofSeconds(2)),
        section.integer("cache_max_entries", 10_000, 1, 10_000_000));
  }
}
