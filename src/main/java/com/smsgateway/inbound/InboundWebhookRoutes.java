package com.smsgateway.inbound;

import com.smsgateway.db.GroupCommit;
import com.smsgateway.http.Routes;
import com.smsgateway.messages.Message;
import com.smsgateway.twilio.TwilioWebhookVerifier;
import io.micrometer.core.instrument.DistributionSummary;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code POST /twilio/messages}: Twilio's inbound SMS/MMS webhook. Verified first (form, bounds, signature);
 * then stored, and answered {@code <Response/>} only once its row is committed. New messages stored pending (not
 * keywords, and some handler might take them) are then handed to the dispatcher; if that hand-off is lost, the sweep
 * finds them pending.
 */
final class InboundWebhookRoutes implements Routes {
  static final String PATH = "/twilio/messages";
  private static final String TWIML_EMPTY = "<Response/>";

  private final TwilioWebhookVerifier verifier;
  private final InboundIngest ingest;
  private final int maxBatchSize;
  private final int maxQueuedRows;
  private final DistributionSummary batchSizes;

  InboundWebhookRoutes(TwilioWebhookVerifier verifier, InboundIngest ingest, int maxBatchSize, int maxQueuedRows, DistributionSummary batchSizes) {
    this.verifier = verifier;
    this.ingest = ingest;
    this.maxBatchSize = maxBatchSize;
    this.maxQueuedRows = maxQueuedRows;
    this.batchSizes = batchSizes;
  }

  /**
   * Called once per HTTP verticle on its event loop: each event loop groups its own webhooks' commits, so
   * nothing is shared between event loops.
   */
  @Override
  public void mount(Router router) {
    Context eventLoop = Vertx.currentContext();
    if (eventLoop == null) {
      throw new IllegalStateException("Inbound routes are mounted by an HTTP verticle, on its Vert.x context");
    }
    GroupCommit<InboundWebhook, Optional<Message>> commits =
        new GroupCommit<>(eventLoop, maxBatchSize, maxQueuedRows, Duration.ZERO, ingest::writeBatch, batchSizes);
    EventBus bus = eventLoop.owner().eventBus();
    router.post(PATH).handler(verifier).handler(ctx -> receive(ctx, commits, bus));
  }

  private static void receive(RoutingContext ctx, GroupCommit<InboundWebhook, Optional<Message>> commits, EventBus bus) {
    InboundWebhook webhook = InboundWebhook.parse(ctx.request().formAttributes(), TwilioWebhookVerifier.account(ctx).accountSid());
    commits.submit(webhook)
        .onSuccess(toDispatch -> {
          ctx.response().setStatusCode(200).putHeader("Content-Type", "text/xml").end(TWIML_EMPTY);
          toDispatch.ifPresent(stored -> InboundDispatchWorker.handOff(bus, stored));
        })
        .onFailure(ctx::fail);
  }
}
