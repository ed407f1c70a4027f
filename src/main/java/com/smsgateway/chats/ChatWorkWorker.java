package com.smsgateway.chats;

import com.smsgateway.work.JobContext;
import com.smsgateway.work.JobOutcome;
import com.smsgateway.work.LeasedWorker;
import com.smsgateway.work.WorkerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;

/**
 * Chat work on the leased-work engine: woken when this replica adds a text to a chat or creates one, and polled every
 * {@code chats.poll_interval} (retries, retry_at waits, other replicas' expired leases). A job (a webhook decision and
 * the turn after it, or a turn and its replies) ends within {@link ChatsConfig#deadline()}, shorter than the lease.
 */
final class ChatWorkWorker extends LeasedWorker<Chat> {
  static final String NAME = "chat_work";

  private final ChatWork work;

  ChatWorkWorker(ChatWork work, ChatsConfig config, MeterRegistry registry, Clock clock) {
    super(WorkerSettings.of(NAME, config.pollInterval(), true, config.batchSize(), config.lease(), "chat_agents.timeout",
        config.deadline(), "chat_agents.timeout"), registry, clock);
    this.work = work;
  }

  /** Asks this replica's chat worker to look for due chats now (call after the change committed). */
  static void wake(Vertx vertx) {
    LeasedWorker.wake(vertx, NAME);
  }

  @Override
  protected Future<List<Chat>> claim(String owner, int limit) {
    return work.claim(owner, limit);
  }

  /** A turn that ended may have made the chat's next turn due at once (texts that arrived meanwhile). */
  @Override
  protected boolean drainAgainAfter(int claimed) {
    return claimed > 0;
  }

  @Override
  protected Future<JobOutcome> process(Chat chat, JobContext context) {
    return work.process(chat, context.owner());
  }
}
