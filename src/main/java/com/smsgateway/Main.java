package com.smsgateway;

import com.smsgateway.config.Config;
import com.smsgateway.config.ConfigException;
import com.smsgateway.config.GatewayConfig;
import com.smsgateway.logging.LogMasking;
import com.smsgateway.twilio.TwilioConfig;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The production entry point: configuration from conf/gateway.yaml and GATEWAY_* variables, no embedded services. */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    GatewayConfig config;
    try {
      config = GatewayConfig.from(Config.load(System.getenv()));
      // Fail closed before connecting anywhere: live mode (the default) without the platform account, or a sandbox
      // (public credentials) on a public address, stops here with the keys to set.
      TwilioConfig.from(config.source());
    } catch (ConfigException e) {
      System.err.println(LogMasking.mask(e.getMessage()));
      System.exit(2);
      return;
    }
    Gateway gateway;
    try {
      gateway = Gateway.start(config, List.of(), List.of()).toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      log.error("Start-up failed: {}", cause.getMessage(), cause);
      System.err.println("sms-gateway failed to start: " + LogMasking.mask(cause.getMessage()));
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> awaitStop(gateway), "gateway-shutdown"));
  }

  /**
   * Runs in a SIGTERM shutdown hook: the JVM exits when this returns, so wait for the drain to finish, but never
   * longer than grace + drain + a margin.
   */
  public static void awaitStop(Gateway gateway) {
    var shutdown = gateway.config().shutdown();
    long budgetMs = shutdown.readinessGrace().plus(shutdown.drainTimeout()).toMillis() + 5_000;
    try {
      gateway.stop().toCompletionStage().toCompletableFuture().get(budgetMs, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("Shutdown did not finish cleanly: {}", e.toString());
    }
  }
}
