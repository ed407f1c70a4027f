package com.smsgateway.chats;

import com.smsgateway.work.JobContext;
import com.smsgateway.work.JobOutcome;
import com.smsgateway.work.LeasedWorker;
import com.smsgateway.work.WorkerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;

/** The silence rule on the leased-work engine: every {@code chats.silence_check_interval}, silent chats are closed. */
final class SilenceWorker extends LeasedWorker<ChatStore.Silent> {
  static final String NAME = "chat_silence";

  private final SilenceSweep sweep;

  SilenceWorker(SilenceSweep sweep, ChatsConfig config, MeterRegistry registry, Clock clock) {
    super(WorkerSettings.of(NAME, config.silenceInterval(), true, config.batchSize(), config.lease(), "chat_agents.timeout",
        config.deadline(), "chat_agents.timeout"), registry, clock);
    this.sweep = sweep;
  }

  @Override
  protected Future<List<ChatStore.Silent>> claim(String owner, int limit) {
    return sweep.claim(owner, limit);
  }

  @Override
  protected Future<JobOutcome> process(ChatStore.Silent silent, JobContext context) {
    return sweep.close(silent, context.owner());
  }
}
