package com.smsgateway.chats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The chats' meters, built once (tagged ones once per tag value). */
final class ChatMetrics {
  static final String WEBHOOK_ACCEPTED = "accepted";
  static final String WEBHOOK_REJECTED = "rejected";
  static final String WEBHOOK_OVERRIDDEN = "overridden";
  static final String WEBHOOK_FAILED = "failed";

  private final MeterRegistry registry;
  private final Map<String, Counter> started = new ConcurrentHashMap<>();
  private final Map<String, Counter> ended = new ConcurrentHashMap<>();
  private final Map<String, Counter> webhookOutcomes = new ConcurrentHashMap<>();
  private final Map<String, Timer> webhookLatency = new ConcurrentHashMap<>();
  private final Map<String, Timer> turnLatency = new ConcurrentHashMap<>();
  private final Counter turnFailures;
  private final Counter repliesSent;
  private final Counter repliesDeferred;
  private final DistributionSummary messagesPerChat;

  ChatMetrics(MeterRegistry registry) {
    this.registry = registry;
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
    for (String origin : new String[] {"inbound", "api"}) {
      startedCounter(origin);
    }
    for (String outcome : new String[] {WEBHOOK_ACCEPTED, WEBHOOK_REJECTED, WEBHOOK_OVERRIDDEN, WEBHOOK_FAILED}) {
      webhookCounter(outcome);
    }
  }

  void started(String origin) {
    startedCounter(origin).increment();
  }

  void ended(String reason, long messageCount) {
    ended.computeIfAbsent(reason, r -> Counter.builder("gateway.chats.ended").description("Chats ended, by end_reason")
        .baseUnit("chats").tag("reason", r).register(registry)).increment();
    messagesPerChat.record(messageCount);
  }

  /** One webhook decision (a failure counts once, after its last try). */
  void webhook(String outcome) {
    webhookCounter(outcome).increment();
  }

  /** One webhook call, by result (success: a 2xx JSON answer). */
  void webhookCall(boolean success, long nanos) {
    webhookLatency.computeIfAbsent(success ? "success" : "failure", outcome -> Timer.builder("gateway.chats.inbound_webhook.latency")
        .description("Calls of customers' inbound webhooks, by result").tag("outcome", outcome).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One call of the chat agent, by result (success: a 2xx answer in the expected shape). */
  void agentCall(boolean success, long nanos) {
    turnLatency.computeIfAbsent(success ? "success" : "failure", outcome -> Timer.builder("gateway.chats.agent_turn.latency")
        .description("Calls of the chat agent (one try of a turn), by result").tag("outcome", outcome).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
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

  private Counter startedCounter(String origin) {
    return started.computeIfAbsent(origin, o -> Counter.builder("gateway.chats.started")
        .description("Chats started, by origin (inbound: a customer's text; api: Create Outbound SMS)")
        .baseUnit("chats").tag("origin", o).register(registry));
  }

  private Counter webhookCounter(String outcome) {
    return webhookOutcomes.computeIfAbsent(outcome, o -> Counter.builder("gateway.chats.inbound_webhook.outcomes")
        .description("Decisions about new chats by customers' inbound webhooks (failed: every try failed, the number's agent answers)")
        .baseUnit("chats").tag("outcome", o).register(registry));
  }
}
