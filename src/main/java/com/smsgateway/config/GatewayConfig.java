package com.smsgateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The typed, validated core configuration. Every value is read once at start-up, so a bad value stops the
 * gateway before it serves anything; features read their own sections from {@link #source()}.
 */
public record GatewayConfig(
    Http http,
    Management management,
    Pg pg,
    RedisSettings redis,
    String publicBaseUrl,
    Optional<String> adminApiKey,
    Shutdown shutdown,
    Duration healthCheckTimeout,
    Duration healthProbeInterval,
    Config source) {

  /**
   * {@code idleTimeout}: a connection with no traffic this long is closed; {@code bodyReadTimeout}: a request body
   * must arrive within this; {@code retryAfter}: the {@code Retry-After} of a 503 when a dependency is down or busy.
   */
  public record Http(String host, int port, int eventLoops, int maxBodyBytes, Duration idleTimeout, Duration bodyReadTimeout,
                     Duration retryAfter) {}

  /** The management server ({@code /metrics}): a second port the Kubernetes Service does not expose. */
  public record Management(String host, int port) {}

  /** {@code schema} is where the gateway's tables live; tests give each class its own. */
  public record Pg(String url, String schema, int poolSize, int pipeliningLimit, Duration connectTimeout, Duration statementTimeout) {}

  public enum RedisMode { STANDALONE, CLUSTER, SENTINEL }

  /** {@code keyPrefix} starts every key the gateway writes, so replicas of one deployment share it and tests do not. */
  /**
   * {@code commandTimeout}: deadline of every Redis command. {@code waitReplicas}: replicas that must confirm a
   * segment charge (Redis {@code WAIT}) before it counts, so a fail-over cannot lose it; 0 (standalone, or accepting
   * the risk) skips the wait. {@code waitTimeout}: how long.
   */
  public record RedisSettings(RedisMode mode, List<String> endpoints, String masterName, String keyPrefix, int poolSize, int maxWaiting,
                              Duration commandTimeout, int waitReplicas, Duration waitTimeout) {}

  /**
   * {@code readinessGrace}: readiness answers 503 this long before the server stops accepting, so the load
   * balancer stops sending first; {@code drainTimeout}: how long in-flight requests may run to completion.
   */
  public record Shutdown(Duration readinessGrace, Duration drainTimeout) {}

  public static GatewayConfig from(Config config) {
    int cores = Runtime.getRuntime().availableProcessors();
    Config http = config.at("http");
    Config pg = config.at("pg");
    Config redis = config.at("redis");
    Config shutdown = config.at("shutdown");
    String publicBaseUrl = config.requiredHttpUrl("public_base_url");
    Optional<String> adminKey = config.optionalString("admin_api_key");
    if (adminKey.isPresent() && adminKey.get().length() < 16) {
      throw config.invalid("admin_api_key", "<hidden>", "must be at least 16 characters");
    }
    String redisUrl = redis.string("url", "redis://127.0.0.1:6379");
    int managementPort = config.at("management").integer("port", 9090, 0, 65535);
    if (managementPort != 0 && managementPort == http.integer("port", 8080, 0, 65535)) {
      throw config.invalid("management.port", managementPort, "must differ from http.port: /metrics is not served on the public port");
    }
    return new GatewayConfig(
        new Http(
            http.string("host", "0.0.0.0"),
            http.integer("port", 8080, 0, 65535),
            http.integer("event_loops", cores, 1, 1024),
            http.integer("max_body_bytes", 1024 * 1024, 1024, 64 * 1024 * 1024),
            positive(http, "idle_timeout", Duration.ofSeconds(60)),
            positive(http, "body_read_timeout", Duration.ofSeconds(10)),
            positive(http, "unavailable_retry_after", Duration.ofSeconds(5))),
        new Management(
            config.at("management").string("host", "0.0.0.0"),
            config.at("management").integer("port", 9090, 0, 65535)),
        new Pg(
            pg.requiredString("url"),
            schemaName(pg, "schema", pg.string("schema", "public")),
            pg.integer("pool_size", 16, 1, 1000),
            pg.integer("pipelining_limit", 256, 1, 10_000),
            pg.duration("connect_timeout", Duration.ofSeconds(5)),
            positive(pg, "statement_timeout", Duration.ofSeconds(5))),
        new RedisSettings(
            redis.enumValue("mode", RedisMode.STANDALONE),
            redis.list("endpoints", List.of(redisUrl)),
            redis.string("master_name", "mymaster"),
            redis.string("key_prefix", "gw:"),
            redis.integer("pool_size", 32, 1, 1000),
            redis.integer("max_waiting", 2048, 1, 1_000_000),
            positive(redis, "command_timeout", Duration.ofSeconds(2)),
            redis.integer("wait_replicas", 0, 0, 16),
            redis.duration("wait_timeout", Duration.ofMillis(200))),
        publicBaseUrl,
        adminKey,
        new Shutdown(
            shutdown.duration("readiness_grace", Duration.ofSeconds(5)),
            shutdown.duration("drain_timeout", Duration.ofSeconds(20))),
        config.duration("health.check_timeout", Duration.ofSeconds(2)),
        positive(config, "health.probe_interval", Duration.ofSeconds(5)),
        config);
  }

  private static Duration positive(Config section, String key, Duration defaultValue) {
    Duration value = section.duration(key, defaultValue);
    if (value.toMillis() < 1) {
      throw section.invalid(key, value, "must be at least 1ms");
    }
    return value;
  }

  /** The schema name is spliced into SQL (search_path), so only plain identifiers are allowed. */
  private static String schemaName(Config pg, String key, String value) {
    if (!value.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw pg.invalid(key, value, "must be a lower-case SQL identifier");
    }
    return value;
  }
}
