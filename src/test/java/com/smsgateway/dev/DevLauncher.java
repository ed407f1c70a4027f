package com.smsgateway.dev;

import com.smsgateway.Gateway;
import com.smsgateway.Main;
import com.smsgateway.config.Config;
import com.smsgateway.config.GatewayConfig;
import com.smsgateway.testing.EmbeddedServices;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.embedded.RedisServer;

/**
 * Zero-setup dev mode ({@code ./mvnw -Pdev}): embedded PostgreSQL and Redis, then the real gateway against
 * them. Lives in test scope so the production jar never contains it. Any GATEWAY_* variable still applies.
 */
public final class DevLauncher {
  private DevLauncher() {}

  public static void main(String[] args) throws Exception {
    System.out.println("Starting embedded PostgreSQL and Redis ...");
    EmbeddedPostgres postgres = EmbeddedServices.startPostgres();
    RedisServer redis = EmbeddedServices.startRedis();

    Map<String, String> env = new HashMap<>(System.getenv());
    env.putIfAbsent(Config.CONFIG_FILE_ENV, "conf/gateway.yaml");
    env.put("GATEWAY_PG_URL", EmbeddedServices.postgresUrl(postgres));
    env.put("GATEWAY_REDIS_URL", EmbeddedServices.redisUrl(redis));
    env.putIfAbsent("GATEWAY_ADMIN_API_KEY", "dev_" + randomToken());
    env.putIfAbsent("GATEWAY_TWILIO_MODE", "sandbox");
    env.putIfAbsent("GATEWAY_SHUTDOWN_READINESS_GRACE", "0s");

    Gateway gateway;
    try {
      gateway = Gateway.start(GatewayConfig.from(Config.load(env)), List.of(), List.of())
          .toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      System.err.println("Dev gateway failed to start: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
      redis.stop();
      postgres.close();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Main.awaitStop(gateway);
      try {
        redis.stop();
        postgres.close();
      } catch (Exception e) {
        System.err.println("Dev shutdown: " + e);
      }
    }, "dev-shutdown"));

    String url = "http://localhost:" + gateway.port();
    String adminKey = env.get("GATEWAY_ADMIN_API_KEY");
    System.out.println("""

        sms-gateway (dev mode) is listening on %1$s
          SMS console:           %1$s/console/  (sign in with the admin API key below)
          PostgreSQL (embedded): %2$s
          Redis (embedded):      %3$s
          Admin API key:         %4$s
          Twilio:                %5$s (GATEWAY_TWILIO_MODE; the production jar defaults to live)

        Try:
          curl %1$s/health/ready
          curl -H 'Authorization: Bearer %4$s' -H 'Content-Type: application/json' \\
               -d '{"role":"workspace","workspace_id":"ws_demo"}' %1$s/v1/api-keys
          curl %1$s/openapi.yaml

        Ctrl-C stops it.
        """.formatted(url, env.get("GATEWAY_PG_URL"), env.get("GATEWAY_REDIS_URL"), adminKey, env.get("GATEWAY_TWILIO_MODE")));
  }

  private static String randomToken() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
