package com.smsgateway;

import com.smsgateway.auth.ApiKeysConfig;
import com.smsgateway.auth.ApiKeysFeature;
import com.smsgateway.auth.Principal;
import com.smsgateway.calls.CallsFeature;
import com.smsgateway.chats.ChatsFeature;
import com.smsgateway.config.GatewayConfig;
import com.smsgateway.console.ConsoleFeature;
import com.smsgateway.db.Database;
import com.smsgateway.feature.Feature;
import com.smsgateway.feature.Services;
import com.smsgateway.http.ApiRouter;
import com.smsgateway.http.HttpVerticle;
import com.smsgateway.dependency.DeadlineCheck;
import com.smsgateway.dependency.DependencyFailures;
import com.smsgateway.dependency.DependencyHealth;
import com.smsgateway.dependency.DependencyProbe;
import com.smsgateway.dependency.GuardedRedis;
import com.smsgateway.http.ErrorHandler;
import com.smsgateway.throttle.RequestThrottle;
import com.smsgateway.throttle.ThrottleConfig;
import com.smsgateway.http.Idempotency;
import com.smsgateway.http.IdempotencyConfig;
import com.smsgateway.calls.CallSessionConfig;
import com.smsgateway.inbound.InboundConfig;
import com.smsgateway.http.RequestBodyReader;
import com.smsgateway.http.Routes;
import com.smsgateway.inbound.InboundFeature;
import com.smsgateway.inbound.InboundHandler;
import com.smsgateway.messages.MessageStore;
import com.smsgateway.numbers.NumbersFeature;
import com.smsgateway.ops.OpsFeature;
import com.smsgateway.ops.Readiness;
import com.smsgateway.ops.SloHistograms;
import com.smsgateway.optout.OptOutRegistry;
import com.smsgateway.numbers.ByoTwilioAccounts;
import com.smsgateway.outbound.OutboundFeature;
import com.smsgateway.registration.RegisteredBrandTiers;
import com.smsgateway.registration.RegistrationFeature;
import com.smsgateway.secrets.SecretBox;
import com.smsgateway.redis.RedisConnector;
import com.smsgateway.retention.RetentionFeature;
import com.smsgateway.sandbox.SandboxFeature;
import com.smsgateway.templates.TemplatesFeature;
import com.smsgateway.twilio.PlatformTwilioAccounts;
import com.smsgateway.twilio.TwilioApi;
import com.smsgateway.twilio.TwilioConfig;
import com.smsgateway.twilio.TwilioWebhookVerifier;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
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
  private final int managementPort;
  private final String deploymentId;
  /** Verticles working beside HTTP (senders, dispatch, deliveries): deployed before it, undeployed after it drained. */
  private final List<String> backgroundDeploymentIds;
  private final List<String> routeSignatures;

  private Gateway(Services services, Readiness readiness, int port, int managementPort, String deploymentId, List<String> backgroundDeploymentIds,
                  List<String> routeSignatures) {
    this.services = services;
    this.vertx = services.vertx();
    this.config = services.config();
    this.readiness = readiness;
    this.port = port;
    this.managementPort = managementPort;
    this.deploymentId = deploymentId;
    this.backgroundDeploymentIds = backgroundDeploymentIds;
    this.routeSignatures = routeSignatures;
  }

  /**
   * Starts a replica; {@code extraRoutes} lets a test mount a route of its own beside the features, and
   * {@code extraInboundHandlers} are offered inbound texts after the gateway's own handlers.
   */
  public static Future<Gateway> start(GatewayConfig config, List<Routes> extraRoutes, List<InboundHandler> extraInboundHandlers) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(SloHistograms.filter());
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
    return Database.migrate(vertx, config.pg())
        .compose(migrated -> {
          DependencyHealth health = new DependencyHealth(registry);
          Pool pg = Database.pool(vertx, config.pg());
          Redis unguarded = RedisConnector.create(vertx, config.redis(), config.pg().connectTimeout());
          Redis redis = new GuardedRedis(unguarded, config.redis().commandTimeout(), health);
          // The first command opens the first connection: bounded by the connect timeout, not the command deadline.
          return RedisConnector.ping(unguarded)
              .recover(e -> Future.failedFuture(new IllegalStateException(
                  RedisConnector.describe(config.redis()) + " is unreachable: " + e.getMessage(), e)))
              // Assembling reads files (templates, Lua scripts, the OpenAPI document): a worker thread's job.
              .compose(ok -> vertx.executeBlocking(() -> assemble(vertx, config, registry, health, pg, redis, extraRoutes, extraInboundHandlers)))
              .compose(Gateway::deploy)
              .onFailure(e -> {
                pg.close();
                redis.close();
              });
        });
  }

  /** What {@link #assemble} builds: the shared services, the HTTP edge and the features in their order. */
  private record Assembly(Services services, DependencyHealth health, RequestThrottle throttle, Readiness readiness, Idempotency idempotency,
                          List<Feature> features) {}

  private static Assembly assemble(Vertx vertx, GatewayConfig config, PrometheusMeterRegistry registry, DependencyHealth health,
                                   Pool pg, Redis redis, List<Routes> extraRoutes, List<InboundHandler> extraInboundHandlers) {
    TwilioConfig twilioConfig = TwilioConfig.from(config.source());
    ApiKeysFeature apiKeys = ApiKeysFeature.create(pg, config.adminApiKey(), ApiKeysConfig.from(config.source()), registry);
    ByoTwilioAccounts twilioAccounts = new ByoTwilioAccounts(pg, SecretBox.from(config.source(), twilioConfig.sandbox()),
        new PlatformTwilioAccounts(twilioConfig.platformAccount()));
    MessageStore.Batching batching = MessageStore.Batching.from(config.source());
    OptOutRegistry optOuts = new OptOutRegistry(vertx, pg, batching.requests(), registry);
    Services services = new Services(vertx, config, registry, pg, redis,
        apiKeys.auth(),
        twilioConfig,
        twilioAccounts,
        TwilioApi.create(vertx, twilioConfig, registry, health),
        optOuts,
        new MessageStore(vertx, pg, optOuts, batching, registry));
    Readiness readiness = new Readiness(vertx, pg, redis, config.healthCheckTimeout(), health);
    // The idempotency claim is renewed while its request runs, so no dependency deadline has to fit in it: its own
    // check (against pg.statement_timeout, which bounds a renewal) is IdempotencyConfig's.
    Idempotency idempotency = new Idempotency(pg, ctx -> Principal.of(ctx).keyId(),
        IdempotencyConfig.from(config.source(), config.pg().statementTimeout()), registry);
    DeadlineCheck.verify(config, Map.of(
        "inbound.dispatch_grace", InboundConfig.from(config.source()).dispatchGrace(),
        "call_sessions.lease", CallSessionConfig.from(config.source().at("call_sessions")).lease()));
    try {
      return new Assembly(services, health,
          new RequestThrottle(redis, config.redis().keyPrefix(), ThrottleConfig.from(config.source()), Clock.systemUTC(), registry),
          readiness, idempotency,
          features(services, twilioAccounts, readiness, apiKeys, extraRoutes, extraInboundHandlers));
    } catch (RuntimeException e) {
      services.twilioApi().close();
      throw e;
    }
  }

  /**
   * The features of a replica, in order: routes are mounted in this order, workers deployed in it, and inbound texts
   * offered to the inbound handlers in it (call sessions first, then chats, then the test's own). Inbound comes last: it is
   * handed the handlers of the features before it.
   */
  private static List<Feature> features(Services services, ByoTwilioAccounts twilioAccounts, Readiness readiness, ApiKeysFeature apiKeys,
                                        List<Routes> extraRoutes, List<InboundHandler> extraInboundHandlers) {
    NumbersFeature numbers = NumbersFeature.create(services, twilioAccounts, CallsFeature.activeCallNumbers(services));
    TemplatesFeature templates = TemplatesFeature.create(services);
    OutboundFeature outbound = OutboundFeature.create(services, numbers.store(), new RegisteredBrandTiers(services.pg()));
    CallsFeature calls = CallsFeature.create(services, numbers.store(), templates.catalog(), outbound);
    ChatsFeature chats = ChatsFeature.create(services, outbound);
    List<Feature> features = new ArrayList<>(List.of(OpsFeature.create(services, readiness), apiKeys, outbound, calls, chats, numbers,
        templates, RegistrationFeature.create(services), RetentionFeature.create(services)));
    if (services.twilioConfig().sandbox()) {
      features.add(SandboxFeature.create(services));
      log.warn("Twilio sandbox mode: texts go to the built-in Twilio stand-in, nothing reaches real phones");
    }
    features.add(ConsoleFeature.create(services));
    if (!extraRoutes.isEmpty() || !extraInboundHandlers.isEmpty()) {
      features.add(new Feature() {
        @Override
        public String name() {
          return "extra";
        }

        @Override
        public List<Routes> routes() {
          return extraRoutes;
        }

        @Override
        public List<InboundHandler> inboundHandlers() {
          return extraInboundHandlers;
        }
      });
    }
    List<InboundHandler> inboundHandlers = features.stream().flatMap(feature -> feature.inboundHandlers().stream()).toList();
    features.add(InboundFeature.create(services, inboundHandlers, List.of(chats.optOutListener())));
    return List.copyOf(features);
  }

  private static Future<Gateway> deploy(Assembly assembly) {
    Services services = assembly.services();
    Vertx vertx = services.vertx();
    GatewayConfig config = services.config();
    if (config.adminApiKey().isEmpty()) {
      log.warn("No admin_api_key configured (GATEWAY_ADMIN_API_KEY): admin routes accept only admin keys stored in PostgreSQL");
    }
    RequestBodyReader bodies = RequestBodyReader.create(config.http().maxBodyBytes(), config.http().bodyReadTimeout(),
        TwilioWebhookVerifier.Limits.from(config.source()));
    ErrorHandler errors = new ErrorHandler(services.registry(), new DependencyFailures(assembly.health()), config.http().retryAfter());
    List<Routes> routes = assembly.features().stream().flatMap(feature -> feature.routes().stream()).toList();
    List<String> workerIds = new ArrayList<>();
    List<HttpVerticle> verticles = new ArrayList<>();
    // Workers one after the other, in feature order, so a failing one names itself and stops the rest; the HTTP
    // edge's own worker (the dependency probe) first.
    Future<Void> workersDeployed = vertx.deployVerticle(new DependencyProbe(assembly.readiness().checks(), config.healthProbeInterval()))
        .map(id -> {
          workerIds.add(id);
          return null;
        });
    for (Feature feature : assembly.features()) {
      for (Deployable worker : feature.workers()) {
        workersDeployed = workersDeployed.compose(previous -> vertx.deployVerticle(worker)
            .recover(e -> Future.failedFuture(new IllegalStateException(
                "Feature '" + feature.name() + "' could not start " + worker.getClass().getSimpleName() + ": " + e.getMessage(), e)))
            .map(id -> {
              workerIds.add(id);
              return null;
            }));
      }
    }
    return workersDeployed
        .compose(deployed -> vertx.deployVerticle(() -> {
                  HttpVerticle verticle = new HttpVerticle(config,
                      v -> ApiRouter.create(v, bodies, services.apiAuth(), assembly.throttle(), assembly.idempotency(), errors, routes));
                  synchronized (verticles) {
                    verticles.add(verticle);
                  }
                  return verticle;
                },
                new DeploymentOptions().setInstances(config.http().eventLoops()).setThreadingModel(ThreadingModel.EVENT_LOOP))
            .map(id -> {
              int port = verticles.get(0).actualPort();
              log.info("sms-gateway listening on {}:{} ({} event loops)", config.http().host(), port, config.http().eventLoops());
              int managementPort = assembly.features().stream().filter(OpsFeature.class::isInstance).map(OpsFeature.class::cast)
                  .findFirst().orElseThrow().management().actualPort();
              log.info("Metrics on the management port {}:{}", config.management().host(), managementPort);
              return new Gateway(services, assembly.readiness(), port, managementPort, id, List.copyOf(workerIds), verticles.get(0).routeSignatures());
            }))
        .onFailure(e -> {
          Future.join(workerIds.reversed().stream().map(vertx::undeploy).toList());
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
    // Completed off Vert.x: the caller's result must outlive this instance's event loops.
    Promise<Void> stopped = Promise.promise();
    vertx.timer(Math.max(1, config.shutdown().readinessGrace().toMillis()))
        .compose(t -> vertx.undeploy(deploymentId))
        .eventually(this::undeployWorkers)
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

  /** Workers in reverse feature order: a feature's workers stop before those of the features it was built on. */
  private Future<Void> undeployWorkers() {
    Future<Void> undeployed = Future.succeededFuture();
    for (String id : backgroundDeploymentIds.reversed()) {
      undeployed = undeployed.eventually(() -> vertx.undeploy(id));
    }
    return undeployed;
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

  /** Where {@code /metrics} is served: the management port (the chosen one when {@code management.port} is 0). */
  public int managementPort() {
    return managementPort;
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

}
