package com.smsgateway.chats;

import com.smsgateway.metrics.CounterFamily;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** The chats' meters, built once (tagged ones once per tag value). */
final class ChatMetrics {
  static final String WEBHOOK_ACCEPTED = "accepted";
  static final String WEBHOOK_REJECTED = "rejected";
  static final String WEBHOOK_OVERRIDDEN = "overridden";
  static final String WEBHOOK_FAILED = "failed";

  private final CounterFamily started;
  private final CounterFamily ended;
  private final CounterFamily webhookOutcomes;
  private final Timer webhookSuccess;
  private final Timer webhookFailure;
  private final Timer agentSuccess;
  private final Timer agentFailure;
  private final Counter turnFailures;
  private final Counter repliesSent;
  private final Counter repliesDeferred;
  private final DistributionSummary messagesPerChat;

  ChatMetrics(MeterRegistry registry) {
    this.started = CounterFamily.of(registry, "gateway.chats.started",
        "Chats started, by origin (inbound: a customer's text; api: Create Outbound SMS)", "chats", "origin");
    this.ended = CounterFamily.of(registry, "gateway.chats.ended", "Chats ended, by end_reason", "chats", "reason");
    this.webhookOutcomes = CounterFamily.of(registry, "gateway.chats.inbound_webhook.outcomes",
        "Decisions about new chats by customers' inbound webhooks (failed: every try failed, the number's agent answers)",
        "chats", "outcome");
    this.webhookSuccess = timer(registry, "gateway.chats.inbound_webhook.latency", "Calls of customers' inbound webhooks, by result", "success");
    this.webhookFailure = timer(registry, "gateway.chats.inbound_webhook.latency", "Calls of customers' inbound webhooks, by result", "failure");
    this.agentSuccess = timer(registry, "gateway.chats.agent_turn.latency", "Calls of the chat agent (one try of a turn), by result", "success");
    this.agentFailure = timer(registry, "gateway.chats.agent_turn.latency", "Calls of the chat agent (one try of a turn), by result", "failure");
    this.turnFailures = Counter.builder("gateway.chats.agent_turn.failures")
        .description("Agent turns that failed after every try (the chat shows error until the customer's next text)")
        .baseUnit("turns").register(registry);
    this.repliesSent = Counter.builder("gateway.chats.replies_sent")
        .description("Chat agent replies (and auto-close texts) handed to the outbound pipeline").baseUnit("messages").register(registry);
    this.repliesDeferred = Counter.builder("gateway.chats.replies_deferred")
        .description("Chat agent replies refused by a segment limit, retried at its retry_at").baseUnit("messages").register(registry);
    this.messagesPerChat = DistributionSummary.builder("gateway.chats.messages_per_chat")
        .description("Texts (both directions) of each chat that ended").baseUnit("messages")
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128).register(registry);
    // Present (at 0) from the start, so rates and alerts work before the first event.
    started.with("inbound");
    started.with("api");
    for (String outcome : new String[] {WEBHOOK_ACCEPTED, WEBHOOK_REJECTED, WEBHOOK_OVERRIDDEN, WEBHOOK_FAILED}) {
      webhookOutcomes.with(outcome);
    }
  }

  void started(String origin) {
    started.with(origin).increment();
  }

  void ended(String reason, long messageCount) {
    ended.with(reason).increment();
    messagesPerChat.record(messageCount);
  }

  /** One webhook decision (a failure counts once, after its last try). */
  void webhook(String outcome) {
    webhookOutcomes.with(outcome).increment();
  }

  /** One webhook call, by result (success: a 2xx JSON answer). */
  void webhookCall(boolean success, long nanos) {
    (success ? webhookSuccess : webhookFailure).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One call of the chat agent, by result (success: a 2xx answer in the expected shape). */
  void agentCall(boolean success, long nanos) {
    (success ? agentSuccess : agentFailure).record(nanos, TimeUnit.NANOSECONDS);
  }

  void turnFailed() {
    turnFailures.increment();
  }

  void replySent() {
    repliesSent.increment();
  }

  void replyDeferred() {
    repliesDeferred.increment();
  }

  private static Timer timer(MeterRegistry registry, String name, String description, String outcome) {
    return Timer.builder(name).description(description).tag("outcome", outcome).register(registry);
  }
}
