package com.smsgateway.testing;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;

/**
 * The PostgreSQL and Redis the tests run against: the local servers on 127.0.0.1 (5432, 6379) when they
 * answer, else embedded ones started once per test JVM. {@code SMS_GATEWAY_TEST_SERVICES=embedded} forces
 * the embedded ones. Each test class takes its own schema and key prefix, so classes never share data.
 *
 * <p>Redis Cluster: with {@code -Dsms.gateway.test.redis=cluster} (or {@code SMS_GATEWAY_TEST_REDIS=cluster}; the
 * {@code redis-cluster} surefire execution sets it) Redis is a Cluster: the one at {@code sms.gateway.test.redis.cluster}
 * (comma-separated redis:// URLs, default 127.0.0.1:7001-7003, which .ci/run starts) when it answers, else three
 * local redis-server processes started for this JVM. Classes marked {@link RedisTest} are skipped, saying so, when
 * neither is possible.
 */
public final class TestServices {
  private static final boolean FORCE_EMBEDDED = "embedded".equalsIgnoreCase(System.getenv("SMS_GATEWAY_TEST_SERVICES"));
  private static String pgUrl;
  private static String redisUrl;
  /** Schemas handed out in this JVM, dropped when it exits (Redis test keys all carry TTLs of their own). */
  private static final Set<String> schemas = ConcurrentHashMap.newKeySet();
  private static boolean embeddedPostgres;
  private static final String CLUSTER_DEFAULT = "redis://127.0.0.1:7001,redis://127.0.0.1:7002,redis://127.0.0.1:7003";
  private static List<String> clusterEndpoints;
  private static String clusterUnavailable;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(TestServices::dropSchemas, "drop-test-schemas"));
  }

  private TestServices() {}

  public static synchronized String pgUrl() {
    if (pgUrl == null) {
      embeddedPostgres = FORCE_EMBEDDED || !EmbeddedServices.answers("127.0.0.1", 5432);
      pgUrl = embeddedPostgres
          ? EmbeddedServices.postgresUrl(EmbeddedServices.startPostgres())
          : "postgresql://postgres@127.0.0.1:5432/test";
    }
    return pgUrl;
  }

  public static synchronized String redisUrl() {
    if (redisUrl == null) {
      redisUrl = !FORCE_EMBEDDED && EmbeddedServices.answers("127.0.0.1", 6379)
          ? "redis://127.0.0.1:6379"
          : EmbeddedServices.redisUrl(EmbeddedServices.startRedis());
    }
    return redisUrl;
  }

  /** True when this test JVM runs the Redis tests against a Redis Cluster. */
  public static boolean redisCluster() {
    return "cluster".equalsIgnoreCase(setting("sms.gateway.test.redis", "SMS_GATEWAY_TEST_REDIS", "standalone"));
  }

  /** The Cluster's node URLs, starting local nodes when none answer; empty (see {@link #clusterUnavailable()}) if impossible. */
  public static synchronized Optional<List<String>> clusterEndpoints() {
    if (clusterEndpoints == null && clusterUnavailable == null) {
      String configured = setting("sms.gateway.test.redis.cluster", "SMS_GATEWAY_TEST_REDIS_CLUSTER", CLUSTER_DEFAULT);
      List<String> nodes = List.of(configured.split(","));
      if (nodes.stream().map(URI::create).allMatch(node -> EmbeddedServices.answers(node.getHost(), node.getPort()))) {
        clusterEndpoints = nodes;
      } else if (LocalRedis.installed()) {
        clusterEndpoints = LocalRedis.cluster().ports().stream().map(port -> "redis://127.0.0.1:" + port).toList();
      } else {
        clusterUnavailable = "No Redis Cluster answers at " + configured + " and redis-server is not installed here, so the Redis "
            + "tests did NOT run against a Cluster (install Debian's redis-server, or run .ci/run, which starts one)";
      }
    }
    return Optional.ofNullable(clusterEndpoints);
  }

  public static synchronized String clusterUnavailable() {
    clusterEndpoints();
    return clusterUnavailable;
  }

  /** Client options for the test Redis: the standalone server, or the Cluster in cluster mode. */
  public static RedisOptions redisOptions() {
    RedisOptions options = new RedisOptions();
    if (redisCluster()) {
      clusterEndpoints().orElseThrow(() -> new IllegalStateException(clusterUnavailable)).forEach(options::addConnectionString);
      return options.setType(RedisClientType.CLUSTER);
    }
    return options.setConnectionString(redisUrl());
  }

  /** The gateway's redis.* settings for the test Redis, as environment variables. */
  public static Map<String, String> redisEnv() {
    if (redisCluster()) {
      return Map.of("GATEWAY_REDIS_MODE", "cluster",
          "GATEWAY_REDIS_ENDPOINTS", String.join(",", clusterEndpoints().orElseThrow(() -> new IllegalStateException(clusterUnavailable))));
    }
    return Map.of("GATEWAY_REDIS_URL", redisUrl());
  }

  private static String setting(String property, String env, String fallback) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(env);
    }
    return value == null || value.isBlank() ? fallback : value;
  }

  /** A fresh schema name for one test class (the gateway's migrations create it). */
  public static String uniqueSchema(Class<?> testClass) {
    String schema = ("t_" + testClass.getSimpleName() + "_" + shortId()).toLowerCase(Locale.ROOT);
    schemas.add(schema);
    return schema;
  }

  /** Only on a server that outlives this JVM: an embedded one goes away with its schemas. */
  private static synchronized void dropSchemas() {
    if (schemas.isEmpty() || pgUrl == null || embeddedPostgres) {
      return;
    }
    URI uri = URI.create(pgUrl);
    String jdbcUrl = "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath();
    String user = uri.getUserInfo() == null ? "postgres" : uri.getUserInfo().split(":")[0];
    try (Connection connection = DriverManager.getConnection(jdbcUrl, user, null); Statement statement = connection.createStatement()) {
      for (String schema : schemas) {
        statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    } catch (SQLException e) {
      System.err.println("Test schemas left in " + jdbcUrl + ": " + e.getMessage());
    }
  }

  /** A fresh Redis key prefix for one test class. */
  public static String uniqueKeyPrefix(Class<?> testClass) {
    return "test:" + testClass.getSimpleName() + ":" + shortId() + ":";
  }

  private static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
