package com.smsgateway.inbound;

import com.smsgateway.Services;
import com.smsgateway.http.Routes;
import com.smsgateway.twilio.TwilioWebhookVerifier;
import com.smsgateway.work.ReplicaId;
import io.vertx.core.Deployable;
import java.time.Clock;
import java.util.List;

/**
 * The inbound feature of one replica: {@code POST /twilio/messages} and the admin's {@code POST /v1/inbound/redeliver}
 * ({@link #routes()}), and the dispatch worker ({@link #dispatcher()}, deployed before the HTTP verticles and undeployed
 * after them), which offers each stored text to {@code handlers} in their order.
 */
public final class Inbound {
  private final List<Routes> routes;
  private final Deployable dispatcher;

  private Inbound(List<Routes> routes, Deployable dispatcher) {
    this.routes = routes;
    this.dispatcher = dispatcher;
  }

  public static Inbound create(Services services, List<InboundHandler> handlers) {
    InboundConfig config = InboundConfig.from(services.config().source());
    InboundMeters meters = new InboundMeters(services.registry());
    TwilioWebhookVerifier verifier = new TwilioWebhookVerifier(services.twilioAccounts(), services.config().publicBaseUrl(),
        TwilioWebhookVerifier.Limits.from(services.config().source()), services.registry(), "messages");
    InboundIngest ingest = new InboundIngest(services.pg(), services.messages(), ReplicaId.of(services.vertx()), config.dispatchGrace(),
        services.optOuts(), services.registry());
    return new Inbound(
        List.of(new InboundWebhookRoutes(verifier, ingest, config.maxBatchSize(), meters.batchSizes("ingest")),
            new InboundRedeliveryRoutes(services.messages())),
        new InboundDispatchWorker(services.messages(), handlers, config, meters, Clock.systemUTC()));
  }

  public List<Routes> routes() {
    return routes;
  }

  public Deployable dispatcher() {
    return dispatcher;
  }
}
