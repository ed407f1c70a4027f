package com.smsgateway.inbound;

import com.smsgateway.feature.Feature;
import com.smsgateway.feature.Services;
import com.smsgateway.http.Routes;
import com.smsgateway.twilio.TwilioWebhookVerifier;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Deployable;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The inbound feature of one replica: {@code POST /twilio/messages} ({@link #routes()}) and the dispatcher
 * ({@link #workers()}), which offers each stored text to {@code handlers} (the other features' inbound handlers,
 * in feature order) in their order; {@code optOutListeners} are told about each STOP as it is stored.
 */
public final class InboundFeature implements Feature {
  private final Routes routes;
  private final Deployable dispatcher;

  private InboundFeature(Routes routes, Deployable dispatcher) {
    this.routes = routes;
    this.dispatcher = dispatcher;
  }

  public static InboundFeature create(Services services, List<InboundHandler> handlers, List<OptOutListener> optOutListeners) {
    InboundConfig config = InboundConfig.from(services.config().source());
    MeterRegistry registry = services.registry();
    InboundStore store = new InboundStore(services.pg(), replicaName(), config.dispatchGrace());
    TwilioWebhookVerifier verifier = new TwilioWebhookVerifier(services.twilioAccounts(), services.config().publicBaseUrl(),
        TwilioWebhookVerifier.Limits.from(services.config().source()), registry, "messages");
    InboundIngest ingest = new InboundIngest(services.pg(), store, services.optOuts(), optOutListeners, registry);
    return new InboundFeature(
        new InboundRoutes(verifier, ingest, config.maxBatchSize(), batchSizes(registry, "ingest")),
        new InboundDispatcher(store, handlers, config, registry, batchSizes(registry, "dispatch_outcomes")));
  }

  @Override
  public String name() {
    return "inbound";
  }

  @Override
  public List<Routes> routes() {
    return List.of(routes);
  }

  @Override
  public List<Deployable> workers() {
    return List.of(dispatcher);
  }

  /** Rows per group commit: near 1 when idle, growing with concurrent load up to inbound.max_batch_size. */
  private static DistributionSummary batchSizes(MeterRegistry registry, String writer) {
    return DistributionSummary.builder("gateway.inbound.batch.size")
        .description("Rows written per group commit, by writer (ingest: webhook inserts; dispatch_outcomes)")
        .baseUnit("rows")
        .tag("writer", writer)
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
        .register(registry);
  }

  /** Names this replica as the owner of the dispatch leases it takes: the pod name where there is one. */
  private static String replicaName() {
    return Objects.requireNonNullElse(System.getenv("HOSTNAME"), "replica") + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
