package com.smsgateway.chats;

import com.smsgateway.config.Config;
import com.smsgateway.work.Backoff;
import java.time.Duration;
import java.util.Optional;

/**
 * Two-way conversations: {@code chat_agents.*} (where and how the chat agent is asked) and {@code chats.*} (silence,
 * the customers' inbound webhooks, the work loop). Without {@code chat_agents.url} chats are still started and their
 * texts stored; the turns wait until a replica with a URL picks them up.
 *
 * @param endAfterSilence default silence after which a chat ends (a number may override it)
 * @param pollInterval    how often a replica looks for due chat work (retries, other replicas' expired leases)
 * @param batchSize       chats one replica works on at once
 * @param silenceInterval how often a replica looks for silent chats
 * @param numberSettingsCacheTtl how long a replica trusts what it read of a number's chat settings (0: never); numbers
 *                        changed through this replica are forgotten at once, through another within this time
 */
public record ChatsConfig(
    Optional<String> agentUrl,
    String agentSecret,
    Duration agentTimeout,
    Retries agentRetries,
    Duration webhookTimeout,
    Retries webhookRetries,
    Duration endAfterSilence,
    Duration pollInterval,
    int batchSize,
    Duration silenceInterval,
    Duration numberSettingsCacheTtl) {

  static final Duration MIN_SILENCE = Duration.ofMinutes(2);
  static final Duration MAX_SILENCE = Duration.ofHours(72);
  private static final int MIN_SECRET_LENGTH = 16;

  /** Tries of one remote call (the first included) and the backoff between them (equal jitter). */
  public record Retries(int tries, Backoff backoff) {
    static Retries from(Config section, int tries, Duration initialBackoff, Duration maxBackoff) {
      return new Retries(section.integer("tries", tries, 1, 20),
          Backoff.configured(section, "initial_backoff", initialBackoff, "max_backoff", maxBackoff, Backoff.Jitter.EQUAL));
    }
  }

  public static ChatsConfig from(Config root) {
    Config agents = root.at("chat_agents");
    Optional<String> url = agents.optionalHttpUrl("url");
    String secret = agents.string("secret", "");
    if (url.isPresent() && secret.length() < MIN_SECRET_LENGTH) {
      throw agents.invalid("secret", "<hidden>", "must be at least " + MIN_SECRET_LENGTH + " characters when chat_agents.url is set");
    }
    Config chats = root.at("chats");
    Config webhook = chats.at("inbound_webhook");
    Duration silence = chats.duration("end_after_silence", Duration.ofHours(1));
    if (silence.compareTo(MIN_SILENCE) < 0 || silence.compareTo(MAX_SILENCE) > 0) {
      throw chats.invalid("end_after_silence", silence, "must be between 2m and 72h");
    }
    return new ChatsConfig(url, secret,
        positive(agents, "timeout", Duration.ofSeconds(10)),
        Retries.from(agents, 3, Duration.ofSeconds(1), Duration.ofSeconds(30)),
        positive(webhook, "timeout", Duration.ofSeconds(10)),
        Retries.from(webhook, 3, Duration.ofSeconds(1), Duration.ofSeconds(10)),
        silence,
        positive(chats, "poll_interval", Duration.ofMillis(250)),
        chats.integer("batch_size", 32, 1, 1000),
        positive(chats, "silence_check_interval", Duration.ofSeconds(30)),
        chats.duration("number_settings_cache_ttl", Duration.ofSeconds(1)));
  }

  private static Duration positive(Config section, String key, Duration defaultValue) {
    Duration value = section.duration(key, defaultValue);
    if (value.toMillis() < 1) {
      throw section.invalid(key, value, "must be at least 1ms");
    }
    return value;
  }

  /**
   * How long one piece of chat work may run: the webhook call and the agent call it may make in a row, plus room to
   * send the replies and record the outcome. Derived from their timeouts, so it cannot be set too short.
   */
  Duration deadline() {
    return webhookTimeout.plus(agentTimeout).plusSeconds(10);
  }

  /** How long a replica holds a chat it works on: past the deadline, so a live job keeps it and a dead one's is taken over. */
  Duration lease() {
    return deadline().plusSeconds(10);
  }
}
