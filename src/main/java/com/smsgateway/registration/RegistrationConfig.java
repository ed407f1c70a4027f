package com.smsgateway.registration;

import com.smsgateway.config.Config;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code registration.*} and {@code smtp.*} configuration.
 *
 * @param staleAfter   a step pending longer than this is flagged {@code stale}
 * @param gaugeRefresh how often the stale-registrations gauge is counted
 * @param poll         live mode: how each pending step's status is asked of Twilio
 * @param email        the decision emails' outbox worker
 * @param smtp         where decision emails are sent; empty: they stay queued (counted) until a replica has one
 */
public record RegistrationConfig(Duration staleAfter, Duration gaugeRefresh, RegistrationStore.Fees fees, Work poll, EmailWork email,
                                 Optional<Smtp> smtp) {

  /** A leased job: how often it looks for due rows, how many it claims, how long a claim holds. */
  public record Work(Duration interval, int batchSize, Duration lease) {}

  public record EmailWork(Work work, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {}

  public enum Tls { NONE, STARTTLS, TLS }

  public record Smtp(String host, int port, Optional<String> username, Optional<String> password, Tls tls, String from, Duration timeout) {
    @Override
    public String toString() {
      return "Smtp[" + host + ":" + port + ", tls " + tls + ", from " + from + "]";
    }
  }

  public static RegistrationConfig from(Config root) {
    Config config = root.at("registration");
    Config fees = config.at("fees");
    Config email = config.at("email");
    Duration initialBackoff = email.duration("initial_backoff", Duration.ofSeconds(30));
    Duration maxBackoff = email.duration("max_backoff", Duration.ofMinutes(30));
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw email.invalid("max_backoff", maxBackoff, "must not be shorter than registration.email.initial_backoff");
    }
    Config smtp = root.at("smtp");
    Optional<Smtp> mail = smtp.optionalString("host").map(host -> new Smtp(host,
        smtp.integer("port", 587, 1, 65_535),
        smtp.optionalString("username"),
        smtp.optionalString("password"),
        smtp.enumValue("tls", Tls.STARTTLS),
        smtp.string("from", "sms-gateway@localhost"),
        positive(smtp, "timeout", Duration.ofSeconds(10))));
    return new RegistrationConfig(
        positive(config, "stale_after", Duration.ofDays(30)),
        positive(config, "gauge_refresh", Duration.ofMinutes(1)),
        new RegistrationStore.Fees(
            fees.integer("business_profile_cents", 0, 0, 1_000_000),
            fees.integer("brand_low_volume_cents", 400, 0, 1_000_000),
            fees.integer("brand_standard_cents", 4500, 0, 1_000_000),
            fees.integer("campaign_cents", 1500, 0, 1_000_000)),
        new Work(positive(config, "poll_interval", Duration.ofMinutes(5)), config.integer("poll_batch_size", 16, 1, 1000),
            positive(config, "poll_lease", Duration.ofMinutes(2))),
        new EmailWork(new Work(positive(email, "poll_interval", Duration.ofSeconds(5)), email.integer("batch_size", 16, 1, 1000),
            positive(email, "lease", Duration.ofMinutes(1))),
            email.integer("max_attempts", 8, 1, 100), initialBackoff, maxBackoff),
        mail);
  }

  private static Duration positive(Config config, String key, Duration defaultValue) {
    Duration value = config.duration(key, defaultValue);
    if (value.isZero()) {
      throw config.invalid(key, value, "must be positive");
    }
    return value;
  }
}
