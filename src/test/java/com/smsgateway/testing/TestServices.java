package com.smsgateway.testing;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;

/**
 * The PostgreSQL and Redis the tests run against: the local servers on 127.0.0.1 (5432, 6379) when they
 * answer, else embedded ones started once per test JVM. {@code SMS_GATEWAY_TEST_SERVICES=embedded} forces
 * the embedded ones. Each test class takes its own schema and key prefix, so classes never share data.
 */
public final class TestServices {
  private static final boolean FORCE_EMBEDDED = "embedded".equalsIgnoreCase(System.getenv("SMS_GATEWAY_TEST_SERVICES"));
  private static String pgUrl;
  private static String redisUrl;
  /** Schemas handed out in this JVM, dropped when it exits (Redis test keys all carry TTLs of their own). */
  private static final Set<String> schemas = ConcurrentHashMap.newKeySet();
  private static boolean embeddedPostgres;

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
