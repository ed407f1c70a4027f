package com.smsgateway.inbound;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches inbound messages on one event loop: those handed off right after their commit (event bus, this
 * replica only), and, every {@code inbound.sweep_interval}, those whose lease ran out while pending (a crash
 * between commit and dispatch, a failed handler, a dead replica), claimed in PostgreSQL so no two replicas
 * dispatch one at once. Messages past {@code inbound.max_dispatch_attempts} are marked abandoned and counted.
 * The sweep also refreshes the backlog gauge (pending messages of all replicas).
 */
final class InboundDispatcher extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(InboundDispatcher.class);
  private static final String ADDRESS = "gateway.inbound.dispatch";
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setCodecName(LocalMessageCodec.NAME);

  private final InboundStore store;
  private final List<InboundHandler> handlers;
  private final InboundConfig config;
  private final MeterRegistry registry;
  private final DistributionSummary outcomeBatchSizes;
  private final AtomicLong backlog = new AtomicLong();
  private final Counter abandoned;
  private MessageConsumer<InboundMessage> consumer;
  private InboundRouter router;
  private long sweepTimer;
  private boolean sweeping;

  InboundDispatcher(InboundStore store, List<InboundHandler> handlers, InboundConfig config, MeterRegistry registry,
                    DistributionSummary outcomeBatchSizes) {
    this.store = store;
    this.handlers = handlers;
    this.config = config;
    this.registry = registry;
    this.outcomeBatchSizes = outcomeBatchSizes;
    this.abandoned = Counter.builder("gateway.inbound.dispatch.abandoned")
        .description("Inbound texts given up after inbound.max_dispatch_attempts failed dispatches")
        .baseUnit("messages").register(registry);
  }

  /** Hands a just-committed message to this replica's dispatcher; if it is lost, the sweep finds it pending. */
  static void handOff(EventBus bus, InboundMessage message) {
    bus.send(ADDRESS, message, LOCAL);
  }

  @Override
  public Future<?> start() {
    Gauge.builder("gateway.inbound.dispatch.backlog", backlog, AtomicLong::get)
        .description("Inbound texts pending dispatch (all replicas), as of this replica's last sweep")
        .baseUnit("messages")
        .register(registry);
    router = new InboundRouter(handlers,
        new GroupCommit<>(context, config.maxBatchSize(), Integer.MAX_VALUE, this::recordOutcomes, outcomeBatchSizes), registry);
    vertx.eventBus().registerCodec(new LocalMessageCodec());
    consumer = vertx.eventBus().localConsumer(ADDRESS, message -> router.dispatch(message.body()));
    sweepTimer = vertx.setPeriodic(config.sweepInterval().toMillis(), tick -> sweep());
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweepTimer);
    return consumer.unregister().onComplete(done -> vertx.eventBus().unregisterCodec(LocalMessageCodec.NAME));
  }

  private Future<List<Boolean>> recordOutcomes(List<InboundStore.Outcome> outcomes) {
    return store.recordOutcomes(outcomes)
        .map(recorded -> outcomes.stream().map(outcome -> recorded.contains(outcome.messageId())).toList());
  }

  /** One sweep at a time; a tick that finds the previous one still running is skipped. */
  private void sweep() {
    if (sweeping) {
      return;
    }
    sweeping = true;
    store.abandonExhausted(config.maxDispatchAttempts())
        .onSuccess(ids -> {
          if (!ids.isEmpty()) {
            abandoned.increment(ids.size());
            log.warn("Gave up dispatching {} inbound message(s) after {} attempts: {}", ids.size(), config.maxDispatchAttempts(), ids);
          }
        })
        .compose(v -> store.claimExpired(config.maxDispatchAttempts(), config.sweepBatchSize()))
        .compose(claimed -> {
          if (!claimed.isEmpty()) {
            log.info("Sweep took over {} pending inbound message(s)", claimed.size());
          }
          return Future.all(claimed.stream().map(router::dispatch).toList());
        })
        .compose(v -> store.countPending())
        .onSuccess(backlog::set)
        .onFailure(failure -> log.warn("Inbound dispatch sweep failed; the next one retries: {}", failure.toString()))
        .onComplete(done -> sweeping = false);
  }

  /** Passes the immutable message by reference: the hand-off never leaves this replica. */
  private static final class LocalMessageCodec implements MessageCodec<InboundMessage, InboundMessage> {
    static final String NAME = "inbound-message-local";

    @Override
    public void encodeToWire(Buffer buffer, InboundMessage message) {
      throw new IllegalStateException("Inbound messages never leave this replica: the event bus is not clustered");
    }

    @Override
    public InboundMessage decodeFromWire(int position, Buffer buffer) {
      throw new IllegalStateException("Inbound messages never leave this replica: the event bus is not clustered");
    }

    @Override
    public InboundMessage transform(InboundMessage message) {
      return message;
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
