package com.smsgateway.chats;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the chat work of this replica: drains due chats at once when woken (a text joined a chat here, a chat was created)
 * and every {@code chats.poll_interval} (retries, other replicas' expired leases), one batch at a time; and looks for
 * silent chats every {@code chats.silence_check_interval}.
 */
final class ChatWorkVerticle extends VerticleBase {
  static final String WAKE_ADDRESS = "gateway.chats.wake";
  private static final Logger log = LoggerFactory.getLogger(ChatWorkVerticle.class);

  private final ChatWork work;
  private final SilenceSweep silence;
  private final ChatsConfig config;
  private MessageConsumer<Void> wakeups;
  private long pollTimer;
  private long silenceTimer;
  private Future<?> inFlight = Future.succeededFuture();
  private boolean draining;
  private boolean drainAgain;
  private boolean sweeping;

  ChatWorkVerticle(ChatWork work, SilenceSweep silence, ChatsConfig config) {
    this.work = work;
    this.silence = silence;
    this.config = config;
  }

  static void wake(Vertx vertx) {
    vertx.eventBus().send(WAKE_ADDRESS, null);
  }

  @Override
  public Future<?> start() {
    wakeups = vertx.eventBus().localConsumer(WAKE_ADDRESS, message -> drain());
    pollTimer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> drain());
    silenceTimer = vertx.setPeriodic(config.silenceInterval().toMillis(), id -> sweepSilence());
    return wakeups.completion();
  }

  /** Stops looking for work, then waits for the batch in flight (its leases would otherwise run out first). */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(silenceTimer);
    return wakeups.unregister().eventually(() -> inFlight.recover(e -> Future.succeededFuture()));
  }

  private void drain() {
    if (draining) {
      drainAgain = true;
      return;
    }
    draining = true;
    drainAgain = false;
    Future<Boolean> batch = work.claim()
        .compose(claimed -> Future.all(claimed.stream().map(work::process).toList()).map(done -> !claimed.isEmpty()));
    inFlight = batch;
    batch.onComplete(result -> {
      draining = false;
      if (result.failed()) {
        log.warn("Chat work: claiming failed: {}", result.cause().toString());
      } else if (result.result() || drainAgain) {
        drain();
      }
    });
  }

  private void sweepSilence() {
    if (sweeping) {
      return;
    }
    sweeping = true;
    silence.sweep()
        .onFailure(e -> log.warn("Silent-chat sweep failed; the next one retries: {}", e.toString()))
        .onComplete(done -> sweeping = false);
  }
}
