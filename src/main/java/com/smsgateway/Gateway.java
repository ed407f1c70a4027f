package com.smsgateway;

import com.smsgateway.auth.ApiKeyAuth;
import com.smsgateway.auth.ApiKeyRoutes;
import com.smsgateway.auth.ApiKeyStore;
import com.smsgateway.config.Config;
import com.smsgateway.config.GatewayConfig;
import com.smsgateway.db.Database;
import com.smsgateway.http.GatewayRouter;
import com.smsgateway.http.HttpVerticle;
import com.smsgateway.http.Idempotency;
import com.smsgateway.http.Routes;
import com.smsgateway.inbound.Inbound;
import com.smsgateway.inbound.InboundHandler;
import com.smsgateway.ops.OpsRoutes;
import com.smsgateway.ops.Readiness;
import com.smsgateway.optout.OptOutRegistry;
import com.smsgateway.calls.CallsFeature;
import com.smsgateway.chats.ChatsFeature;
import com.smsgateway.outbound.OutboundFeature;
import com.smsgateway.sandbox.SandboxConfig;
import com.smsgateway.sandbox.SandboxRoutes;
import com.smsgateway.twilio.PlatformTwilioAccounts;
import com.smsgateway.twilio.TwilioApi;
import com.smsgateway.twilio.TwilioConfig;
import com.smsgateway.redis.RedisConnector;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: one running gateway replica. It owns its Vert.x instance, pools and verticles;
 * {@link #stop()} is the graceful shutdown (readiness first, then drain, then pools).
 */
public final class Gateway {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private final Services services;
  private final Vertx vertx;
  private final GatewayConfig config;
  private final Readiness readiness;
  private final int port;
  private final String deploymentId;
  /** Verticles working beside HTTP (senders, dispatch, deliveries): deployed before it, undeployed after it drained. */
  private final List<String> backgroundDeploymentIds;
  private final List<String> routeSignatures;
  private final List<Long> periodicTimers;

  private Gateway(Services services, Readiness readiness, int port, String deploymentId, List<String> backgroundDeploymentIds,
                  List<String> routeSignatures, List<Long> periodicTimers) {
    this.services = services;
    this.vertx = services.vertx();
    this.config = services.config();
    this.readiness = readiness;
    this.port = port;
    this.deploymentId = deploymentId;
    this.backgroundDeploymentIds = backgroundDeploymentIds;
    this.routeSignatures = routeSignatures;
    this.periodicTimers = periodicTimers;
  }

  /**
   * Starts a replica; {@code extraRoutes} lets a test mount a route of its own beside the features, and
   * {@code extraInboundHandlers} are offered inbound texts after the gateway's own handlers.
   */
  public static Future<Gateway> start(GatewayConfig config, List<Routes> extraRoutes, List<InboundHandler> extraInboundHandlers) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions()
            .setEventLoopPoolSize(config.http().eventLoops())
            .setMetricsOptions(new MicrometerMetricsOptions()
                .setEnabled(true)
                .setJvmMetricsEnabled(true)
                .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME))
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    Promise<Gateway> started = Promise.promise();
    startOn(vertx, config, registry, extraRoutes, extraInboundHandlers).onComplete(result -> {
      if (result.succeeded()) {
        started.complete(result.result());
      } else {
        closeVertx(vertx).onComplete(closed -> started.fail(result.cause()));
      }
    });
    return started.future();
  }

  private static Future<Gateway> startOn(Vertx vertx, GatewayConfig config, PrometheusMeterRegistry registry, List<Routes> extraRoutes,
                                         List<InboundHandler> extraInboundHandlers) {
    Buffer openApi = classpathResource("openapi.yaml");
    return Database.migrate(vertx, config.pg())
        .compose(migrated -> {
          Pool pg = Database.pool(vertx, config.pg());
          Redis redis = RedisConnector.create(vertx, config.redis(), config.pg().connectTimeout());
          return RedisConnector.ping(redis)
              .recover(e -> Future.failedFuture(new IllegalStateException(
                  RedisConnector.describe(config.redis()) + " is unreachable: " + e.getMessage(), e)))
              .compose(ok -> deploy(vertx, config, registry, pg, redis, openApi, extraRoutes, extraInboundHandlers))
              .onFailure(e -> {
                pg.close();
                redis.close();
              });
        });
  }

  private static Future<Gateway> deploy(Vertx vertx, GatewayConfig config, PrometheusMeterRegistry registry, Pool pg,
                                        Redis redis, Buffer openApi, List<Routes> extraRoutes,
                                        List<InboundHandler> extraInboundHandlers) {
    TwilioConfig twilioConfig = TwilioConfig.from(config.source());
    ApiKeyStore apiKeys = new ApiKeyStore(pg);
    Services services = new Services(vertx, config, registry, pg, redis,
        new ApiKeyAuth(apiKeys, config.adminApiKey()),
        twilioConfig,
        new PlatformTwilioAccounts(twilioConfig.platformAccount()),
        TwilioApi.create(vertx, twilioConfig, registry),
        new OptOutRegistry(pg));
    Readiness readiness = new Readiness(vertx, pg, redis, config.healthCheckTimeout());
    Config idempotencyConfig = config.source().at("idempotency");
    Idempotency idempotency = new Idempotency(pg, idempotencyConfig.duration("ttl", Duration.ofHours(24)),
        idempotencyConfig.duration("in_progress_timeout", Duration.ofMinutes(2)));
    long purgeTimer = vertx.setPeriodic(idempotencyConfig.duration("purge_interval", Duration.ofHours(1)).toMillis(),
        tick -> idempotency.purgeExpired().onFailure(e -> log.warn("Purging expired idempotency keys failed: {}", e.toString())));
    List<Routes> features = new ArrayList<>();
    features.add(idempotency);
    features.add(new OpsRoutes(readiness.checks(), registry, openApi));
    features.add(new ApiKeyRoutes(apiKeys, registry));
    // Background work (one instance per replica): deployed before HTTP, undeployed on shutdown after the HTTP drain.
    List<Deployable> background = new ArrayList<>();
    OutboundFeature outbound = OutboundFeature.create(services);
    features.addAll(outbound.routes());
    background.add(outbound.sender());
    CallsFeature calls = CallsFeature.create(services, outbound);
    features.addAll(calls.routes());
    background.addAll(calls.verticles());
    ChatsFeature chats = ChatsFeature.create(services, outbound);
    features.addAll(chats.routes());
    background.addAll(chats.workers());
    List<InboundHandler> inboundHandlers = new ArrayList<>();
    inboundHandlers.add(calls.sessionHandler());
    inboundHandlers.addAll(chats.inboundHandlers());
    inboundHandlers.addAll(extraInboundHandlers);
    Inbound inbound = Inbound.create(services, inboundHandlers, List.of(chats.optOutListener()));
    features.add(inbound.routes());
    background.add(inbound.dispatcher());
    if (twilioConfig.sandbox()) {
      features.add(new SandboxRoutes(vertx, SandboxConfig.from(config.source()), services.twilioAccounts(),
          config.publicBaseUrl(), services.apiAuth()));
      log.warn("Twilio sandbox mode: texts go to the built-in Twilio stand-in, nothing reaches real phones");
    }
    features.addAll(extraRoutes);
    Gauge.builder("gateway.info", () -> 1).description("Constant 1; labels describe this replica")
        .tag("version", Objects.requireNonNullElse(Gateway.class.getPackage().getImplementationVersion(), "dev"))
        .tag("twilio_mode", twilioConfig.mode().name().toLowerCase())
        .register(registry);
    if (config.adminApiKey().isEmpty()) {
      log.warn("No admin_api_key configured (GATEWAY_ADMIN_API_KEY): admin routes accept only admin keys stored in PostgreSQL");
    }
    List<HttpVerticle> verticles = new ArrayList<>();
    return Future.all(background.stream().map(vertx::deployVerticle).toList())
        .compose(deployed -> vertx.deployVerticle(() -> {
                  HttpVerticle verticle = new HttpVerticle(config,
                      v -> GatewayRouter.create(v, config.http().maxBodyBytes(), services.apiAuth(), registry, features));
                  synchronized (verticles) {
                    verticles.add(verticle);
                  }
                  return verticle;
                },
                new DeploymentOptions().setInstances(config.http().eventLoops()).setThreadingModel(ThreadingModel.EVENT_LOOP))
            .map(id -> {
              int port = verticles.get(0).actualPort();
              log.info("sms-gateway listening on {}:{} ({} event loops)", config.http().host(), port, config.http().eventLoops());
              return new Gateway(services, readiness, port, id, deployed.<String>list(), verticles.get(0).routeSignatures(),
                  List.of(purgeTimer));
            }))
        .onFailure(e -> {
          vertx.cancelTimer(purgeTimer);
          services.twilioApi().close();
        });
  }

  /**
   * Graceful shutdown: readiness answers 503 at once, the server keeps serving for the readiness grace
   * (so the load balancer notices), then stops accepting and drains in-flight requests, then pools close.
   */
  public Future<Void> stop() {
    log.info("Shutting down: readiness now 503, draining for up to {}", config.shutdown().drainTimeout());
    readiness.stopAcceptingTraffic();
    periodicTimers.forEach(vertx::cancelTimer);
    // Completed off Vert.x: the caller's result must outlive this instance's event loops.
    Promise<Void> stopped = Promise.promise();
    vertx.timer(Math.max(1, config.shutdown().readinessGrace().toMillis()))
        .compose(t -> vertx.undeploy(deploymentId))
        .eventually(() -> Future.join(backgroundDeploymentIds.stream().map(vertx::undeploy).toList()))
        .eventually(() -> {
          services.twilioApi().close();
          return services.pg().close();
        })
        .eventually(() -> {
          services.redis().close();
          return Future.succeededFuture();
        })
        .onComplete(drained -> closeVertx(vertx).onComplete(closed -> {
          log.info("Shutdown complete");
          stopped.handle(drained.failed() ? Future.failedFuture(drained.cause()) : closed);
        }));
    return stopped.future();
  }

  /**
   * Closes Vert.x from a thread outside it: {@code vertx.close()} called on an event loop delivers its result
   * to that event loop, which the close itself terminates, so the result would be lost.
   */
  private static Future<Void> closeVertx(Vertx vertx) {
    Promise<Void> closed = Promise.promise();
    Thread.ofVirtual().name("vertx-close").start(() -> vertx.close().onComplete(closed));
    return closed.future();
  }

  public int port() {
    return port;
  }

  /** "METHOD path" of every route this replica serves. */
  public List<String> routeSignatures() {
    return routeSignatures;
  }

  public Vertx vertx() {
    return vertx;
  }

  public GatewayConfig config() {
    return config;
  }

  public Services services() {
    return services;
  }

  public PrometheusMeterRegistry registry() {
    return services.registry();
  }

  public Pool pg() {
    return services.pg();
  }

  public Redis redis() {
    return services.redis();
  }

  private static Buffer classpathResource(String name) {
    try (InputStream in = Gateway.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + name, e);
    }
  }
}
