package com.smsgateway.testing;

import java.util.Locale;
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

  private TestServices() {}

  public static synchronized String pgUrl() {
    if (pgUrl == null) {
      pgUrl = !FORCE_EMBEDDED && EmbeddedServices.answers("127.0.0.1", 5432)
          ? "postgresql://postgres@127.0.0.1:5432/test"
          : EmbeddedServices.postgresUrl(EmbeddedServices.startPostgres());
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
    return ("t_" + testClass.getSimpleName() + "_" + shortId()).toLowerCase(Locale.ROOT);
  }

  /** A fresh Redis key prefix for one test class. */
  public static String uniqueKeyPrefix(Class<?> testClass) {
    return "test:" + testClass.getSimpleName() + ":" + shortId() + ":";
  }

  private static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
