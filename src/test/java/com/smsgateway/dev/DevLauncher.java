package com.smsgateway.dev;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.smsgateway.Gateway;
import com.smsgateway.Main;
import com.smsgateway.config.Config;
import com.smsgateway.config.GatewayConfig;
import com.smsgateway.testing.EmbeddedServices;
import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.embedded.RedisServer;

/**
 * Zero-setup dev mode ({@code ./mvnw -Pdev}): embedded PostgreSQL and Redis, then the real gateway against
 * them with the built-in demo chat agent, and a seeded demo workspace whose number has that agent attached. Lives in test scope so the production jar never contains it. Any GATEWAY_* variable still applies.
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
    // A local SMTP capture for the registration decision emails (printed as they arrive, and readable over IMAP).
    GreenMail mailCapture = null;
    if (!env.containsKey("GATEWAY_SMTP_HOST")) {
      int smtpPort = EmbeddedServices.freePort();
      mailCapture = new GreenMail(new ServerSetup[] {
          new ServerSetup(smtpPort, "127.0.0.1", "smtp"), new ServerSetup(EmbeddedServices.freePort(), "127.0.0.1", "imap")});
      mailCapture.start();
      env.put("GATEWAY_SMTP_HOST", "127.0.0.1");
      env.put("GATEWAY_SMTP_PORT", Integer.toString(smtpPort));
      env.put("GATEWAY_SMTP_TLS", "none");
      env.putIfAbsent("GATEWAY_REGISTRATION_EMAIL_POLL_INTERVAL", "1s");
    }
    // The built-in demo chat agent answers unless GATEWAY_CHAT_AGENTS_URL names another one.
    Vertx demoAgentVertx = Vertx.vertx();
    String demoAgentUrl = null;
    if (!env.containsKey("GATEWAY_CHAT_AGENTS_URL")) {
      String secret = "demo_" + randomToken();
      int port = new DemoChatAgent(secret).listen(demoAgentVertx, "127.0.0.1", 0).await().actualPort();
      demoAgentUrl = "http://127.0.0.1:" + port + "/chat";
      env.put("GATEWAY_CHAT_AGENTS_URL", demoAgentUrl);
      env.put("GATEWAY_CHAT_AGENTS_SECRET", secret);
    }

    Gateway gateway;
    try {
      gateway = Gateway.start(GatewayConfig.from(Config.load(env)), List.of(), List.of())
          .toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      System.err.println("Dev gateway failed to start: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
      demoAgentVertx.close();
      redis.stop();
      postgres.close();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Main.awaitStop(gateway);
      demoAgentVertx.close();
      try {
        redis.stop();
        postgres.close();
      } catch (Exception e) {
        System.err.println("Dev shutdown: " + e);
      }
    }, "dev-shutdown"));

    String url = "http://localhost:" + gateway.port();
    String byoSid = "AC" + java.util.HexFormat.of().formatHex(randomBytes(16));
    String byoToken = java.util.HexFormat.of().formatHex(randomBytes(16));
    seedSandboxAccount(url, env.get("GATEWAY_ADMIN_API_KEY"), byoSid, byoToken);
    if (mailCapture != null) {
      printMailsAsTheyArrive(mailCapture);
    }
    String adminKey = env.get("GATEWAY_ADMIN_API_KEY");
    String demoKey = DemoWorkspace.seed(gateway, adminKey);
    System.out.println("""

        sms-gateway (dev mode) is listening on %1$s
          SMS console:           %1$s/console/  (sign in with the admin API key below)
          PostgreSQL (embedded): %2$s
          Redis (embedded):      %3$s
          Admin API key:         %4$s
          Twilio:                %5$s (GATEWAY_TWILIO_MODE; the production jar defaults to live)
          Demo workspace:        %9$s, API key %10$s
          Demo number:           %11$s (enabled, chat agent %12$s)
          Chat agent:            %13$s

        Try:
          curl %1$s/health/ready
          curl %1$s/openapi.yaml
          # a customer texts the demo number (a signed webhook from the Twilio sandbox); the agent answers:
          curl -H 'Authorization: Bearer %4$s' -H 'Content-Type: application/json' \\
               -d '{"from":"+14155550123","to":"%11$s","body":"hello"}' %1$s/sandbox/inbound
          curl -H 'Authorization: Bearer %10$s' '%1$s/v1/sms-chats?phone_number=%%2B%14$s'

        Sandbox BYO Twilio account (POST /v1/sms-numbers/byo):
          account_sid %6$s   auth_token %7$s
          +15035550100 (SMS-capable), +15035550101 (not SMS-capable); any other number is not in the account
        Decision emails: %8$s

        Ctrl-C stops it.
        """.formatted(url, env.get("GATEWAY_PG_URL"), env.get("GATEWAY_REDIS_URL"), adminKey, env.get("GATEWAY_TWILIO_MODE"), byoSid, byoToken,
        mailCapture == null ? "sent to " + env.get("GATEWAY_SMTP_HOST")
            : "captured locally, printed here as they arrive; IMAP 127.0.0.1:" + mailCapture.getImap().getPort()
                + " (user and password: the recipient address)",
        DemoWorkspace.WORKSPACE_ID, demoKey, DemoWorkspace.NUMBER, DemoWorkspace.CHAT_AGENT_ID,
        demoAgentUrl == null ? env.get("GATEWAY_CHAT_AGENTS_URL") : demoAgentUrl + " (built-in demo agent: echo and turn count)",
        DemoWorkspace.NUMBER.substring(1)));
  }

  /** The sandbox account a customer would bring: one SMS-capable number, one that cannot text. */
  private static void seedSandboxAccount(String url, String adminKey, String sid, String token) throws Exception {
    String body = """
        {"account_sid":"%s","auth_token":"%s","phone_numbers":[{"phone_number":"+15035550100","sms_capable":true},
         {"phone_number":"+15035550101","sms_capable":false}]}""".formatted(sid, token);
    var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/sandbox/accounts"))
            .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      System.err.println("Seeding the sandbox BYO account failed: " + response.statusCode() + " " + response.body());
    }
  }

  private static void printMailsAsTheyArrive(GreenMail mailCapture) {
    Thread.ofVirtual().name("dev-mail-printer").start(() -> {
      int printed = 0;
      while (!Thread.currentThread().isInterrupted()) {
        try {
          var received = mailCapture.getReceivedMessages();
          for (; printed < received.length; printed++) {
            var mail = received[printed];
            System.out.println("\n[mail] to " + java.util.Arrays.toString(mail.getAllRecipients()) + ": " + mail.getSubject()
                + "\n" + mail.getContent());
          }
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          System.err.println("[mail] " + e);
        }
      }
    });
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private static String randomToken() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
