package com.smsgateway.inbound;

import com.smsgateway.feature.Feature;
import com.smsgateway.feature.Services;
import com.smsgateway.http.Routes;
import com.smsgateway.twilio.TwilioWebhookVerifier;
import com.smsgateway.work.ReplicaId;
import io.vertx.core.Deployable;
import java.time.Clock;
import java.util.List;

/**
 * The inbound feature of one replica: {@code POST /twilio/messages} and the admin's {@code POST /v1/inbound/redeliver}
 * ({@link #routes()}), and the dispatch worker ({@link #workers()}), which offers each stored text some handler might
 * take to {@code handlers} (the other features' inbound handlers, in feature order) in their order; {@code optOutListeners}
 * are told about each STOP as it is stored.
 */
public final class InboundFeature implements Feature {
  private final List<Routes> routes;
  private final Deployable dispatcher;

  private InboundFeature(List<Routes> routes, Deployable dispatcher) {
    this.routes = routes;
    this.dispatcher = dispatcher;
  }

  public static InboundFeature create(Services services, List<InboundHandler> handlers, List<OptOutListener> optOutListeners) {
    InboundConfig config = InboundConfig.from(services.config().source());
    InboundMeters meters = new InboundMeters(services.registry());
    TwilioWebhookVerifier verifier = new TwilioWebhookVerifier(services.twilioAccounts(), services.config().publicBaseUrl(),
        TwilioWebhookVerifier.Limits.from(services.config().source()), services.registry(), "messages");
    InboundIngest ingest = new InboundIngest(services.pg(), services.messages(), ReplicaId.of(services.vertx()), config.dispatchGrace(),
        services.optOuts(), optOutListeners, new InboundRouting(handlers, config.routeDecisionTimeout(), meters), meters);
    return new InboundFeature(
        List.of(new InboundWebhookRoutes(verifier, ingest, config.maxBatchSize(), config.maxQueuedRows(), meters.batchSizes("ingest")),
            new InboundRedeliveryRoutes(services.messages())),
        new InboundDispatchWorker(services.messages(), handlers, config, meters, Clock.systemUTC()));
  }

  @Override
  public String name() {
    return "inbound";
  }

  @Override
  public List<Routes> routes() {
    return routes;
  }

  @Override
  public List<Deployable> workers() {
    return List.of(dispatcher);
  }
}
