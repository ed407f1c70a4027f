package com.smsgateway.inbound;

import com.smsgateway.db.GroupCommit;
import com.smsgateway.messages.Message;
import com.smsgateway.messages.MessageStore;
import com.smsgateway.work.JobContext;
import com.smsgateway.work.JobOutcome;
import com.smsgateway.work.LeasedWorker;
import com.smsgateway.work.WorkerSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches inbound messages on one event loop. A message just committed is handed off here at once (event bus,
 * this replica only; it is already leased to this replica by its insert). On the leased-work engine, every
 * {@code inbound.sweep_interval} (and when woken, e.g. by a redelivery) the sweep claims pending messages whose lease
 * ran out (a crash between commit and dispatch, a dead replica) or whose retry pause is over, so no two replicas
 * dispatch one at once. Before each claim, messages whose last attempt's lease ran out are marked abandoned and
 * counted; after each batch the backlog gauge (pending messages of all replicas) is refreshed.
 */
final class InboundDispatchWorker extends LeasedWorker<MessageStore.DispatchClaim> {
  static final String NAME = "inbound_dispatch";
  private static final Logger log = LoggerFactory.getLogger(InboundDispatchWorker.class);
  private static final String HAND_OFF_ADDRESS = "gateway.inbound.dispatch";
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setCodecName(LocalMessageCodec.NAME);

  private final MessageStore messages;
  private final List<InboundHandler> handlers;
  private final InboundConfig config;
  private final InboundMeters meters;
  private final DistributionSummary outcomeBatchSizes;
  private final Counter abandoned;
  private final AtomicLong backlog = new AtomicLong();
  private final AtomicLong oldestPendingMillis = new AtomicLong();
  /** Hand-offs under way: stop waits for them as for the sweep's batch. */
  private final Set<Future<JobOutcome>> handOffs = new HashSet<>();
  private MessageConsumer<Message> consumer;
  private InboundDispatch dispatch;

  InboundDispatchWorker(MessageStore messages, List<InboundHandler> handlers, InboundConfig config, InboundMeters meters, Clock clock) {
    super(WorkerSettings.of(NAME, config.sweepInterval(), false, config.sweepBatchSize(),
        config.dispatchGrace(), "inbound.dispatch_grace", config.dispatchTimeout(), "inbound.dispatch_timeout"), meters.registry(), clock);
    this.messages = messages;
    this.handlers = handlers;
    this.config = config;
    this.meters = meters;
    this.outcomeBatchSizes = meters.batchSizes("dispatch_outcomes");
    this.abandoned = meters.abandoned();
    Gauge.builder("gateway.inbound.dispatch.backlog", backlog, AtomicLong::get)
        .description("Inbound texts pending dispatch (all replicas), as of this replica's last sweep")
        .baseUnit("messages")
        .register(meters.registry());
    Gauge.builder("gateway.inbound.dispatch.backlog.age", oldestPendingMillis, millis -> millis.get() / 1000.0)
        .description("How long the oldest inbound text pending dispatch has waited, as of this replica's last batch")
        .baseUnit("seconds")
        .register(meters.registry());
  }

  /** Hands a just-committed message to this replica's dispatcher; if it is lost, the sweep finds it pending. */
  static void handOff(EventBus bus, Message message) {
    bus.send(HAND_OFF_ADDRESS, message, LOCAL);
  }

  @Override
  public Future<?> start() {
    dispatch = new InboundDispatch(handlers,
        new GroupCommit<>(context, config.maxBatchSize(), Integer.MAX_VALUE, Duration.ZERO, this::recordOutcomes, outcomeBatchSizes), config, meters);
    vertx.eventBus().registerCodec(new LocalMessageCodec());
    // The engine first (it names this replica, the owner of the hand-offs' leases), then the hand-offs.
    return super.start().compose(started -> {
      consumer = vertx.eventBus().localConsumer(HAND_OFF_ADDRESS, message -> {
        Future<JobOutcome> handOff = dispatch.dispatch(message.body(), 1);
        handOffs.add(handOff);
        handOff.onComplete(done -> handOffs.remove(handOff));
      });
      return consumer.completion();
    });
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister()
        .eventually(() -> Future.join(List.copyOf(handOffs)))
        .eventually(super::stop)
        .onComplete(done -> vertx.eventBus().unregisterCodec(LocalMessageCodec.NAME));
  }

  @Override
  protected Future<Void> beforeClaim() {
    return messages.abandonExhaustedDispatches(config.maxDispatchAttempts()).map(ids -> {
      if (!ids.isEmpty()) {
        abandoned.increment(ids.size());
        log.warn("Gave up dispatching {} inbound message(s) after {} attempts: {}", ids.size(), config.maxDispatchAttempts(), ids);
      }
      return null;
    });
  }

  @Override
  protected Future<List<MessageStore.DispatchClaim>> claim(String owner, int limit) {
    return messages.claimDispatches(owner, settings.lease(), config.maxDispatchAttempts(), limit);
  }

  @Override
  protected Future<JobOutcome> process(MessageStore.DispatchClaim claimed, JobContext context) {
    return dispatch.dispatch(claimed.message(), claimed.attempt());
  }

  @Override
  protected Future<Void> afterBatch() {
    return messages.countPendingDispatch().map(pending -> {
      backlog.set(pending.pending());
      oldestPendingMillis.set(Math.round(pending.oldestSeconds() * 1000));
      return null;
    });
  }

  private Future<List<Boolean>> recordOutcomes(List<MessageStore.DispatchOutcome> outcomes) {
    return messages.recordDispatchOutcomes(outcomes, owner())
        .map(recorded -> outcomes.stream().map(outcome -> recorded.contains(outcome.messageId())).toList());
  }

  /** Passes the immutable message by reference: the hand-off never leaves this replica. */
  private static final class LocalMessageCodec implements MessageCodec<Message, Message> {
    static final String NAME = "inbound-message-local";

    @Override
    public void encodeToWire(Buffer buffer, Message message) {
      throw new IllegalStateException("Inbound messages never leave this replica: the event bus is not clustered");
    }

    @Override
    public Message decodeFromWire(int position, Buffer buffer) {
      throw new IllegalStateException("Inbound messages never leave this replica: the event bus is not clustered");
    }

    @Override
    public Message transform(Message message) {
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
