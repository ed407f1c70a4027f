package com.smsgateway.testing;

import com.smsgateway.Gateway;
import com.smsgateway.config.Config;
import com.smsgateway.config.GatewayConfig;
import com.smsgateway.http.Routes;
import com.smsgateway.inbound.InboundHandler;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Starts real gateway replicas for tests, on the test services, with the class's own schema and key prefix. */
public final class TestGateway {
  public static final String ADMIN_KEY = "test-admin-key-0123456789";

  private final Map<String, String> env = new HashMap<>();
  private final List<Routes> extraRoutes;
  private final List<InboundHandler> inboundHandlers = new ArrayList<>();

  private TestGateway(Class<?> testClass, List<Routes> extraRoutes) {
    this.extraRoutes = extraRoutes;
    env.put(Config.CONFIG_FILE_ENV, "conf/gateway.yaml");
    env.put("GATEWAY_PG_URL", TestServices.pgUrl());
    env.put("GATEWAY_PG_SCHEMA", TestServices.uniqueSchema(testClass));
    env.put("GATEWAY_PG_POOL_SIZE", "4");
    env.putAll(TestServices.redisEnv());
    env.put("GATEWAY_REDIS_KEY_PREFIX", TestServices.uniqueKeyPrefix(testClass));
    env.put("GATEWAY_REDIS_POOL_SIZE", "4");
    env.put("GATEWAY_HTTP_HOST", "127.0.0.1");
    env.put("GATEWAY_HTTP_EVENT_LOOPS", "2");
    env.put("GATEWAY_MANAGEMENT_HOST", "127.0.0.1");
    env.put("GATEWAY_MANAGEMENT_PORT", "0");
    env.put("GATEWAY_ADMIN_API_KEY", ADMIN_KEY);
    // The production default is live Twilio; tests choose the built-in stand-in explicitly.
    env.put("GATEWAY_TWILIO_MODE", "sandbox");
    env.put("GATEWAY_SHUTDOWN_READINESS_GRACE", "0s");
    env.put("GATEWAY_SHUTDOWN_DRAIN_TIMEOUT", "5s");
  }

  public static TestGateway forClass(Class<?> testClass) {
    return new TestGateway(testClass, List.of());
  }

  public static TestGateway forClass(Class<?> testClass, Routes... extraRoutes) {
    return new TestGateway(testClass, List.of(extraRoutes));
  }

  /** Sets a configuration key by its environment name, e.g. {@code with("GATEWAY_TWILIO_MODE", "sandbox")}. */
  public TestGateway with(String envName, String value) {
    env.put(envName, value);
    return this;
  }

  /** Offers inbound texts to {@code handler} as well (after the gateway's own handlers), on every replica started. */
  public TestGateway withInboundHandler(InboundHandler handler) {
    inboundHandlers.add(handler);
    return this;
  }

  public Map<String, String> env() {
    return Map.copyOf(env);
  }

  /** Starts one replica on a free port; call again for a second replica sharing PostgreSQL and Redis. */
  public Future<Gateway> start() {
    Map<String, String> replicaEnv = new HashMap<>(env);
    int port = Integer.parseInt(replicaEnv.computeIfAbsent("GATEWAY_HTTP_PORT", k -> Integer.toString(EmbeddedServices.freePort())));
    replicaEnv.putIfAbsent("GATEWAY_PUBLIC_BASE_URL", "http://127.0.0.1:" + port);
    env.remove("GATEWAY_HTTP_PORT");
    return Gateway.start(GatewayConfig.from(Config.load(replicaEnv)), extraRoutes, List.copyOf(inboundHandlers));
  }
}
