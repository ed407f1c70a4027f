package com.smsgateway.registration;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the decision emails of the outbox: claims a batch with this replica's lease, sends each through SMTP and
 * records the outcome only while still holding the lease. A failed send waits (exponential backoff, equal jitter)
 * and is tried again, up to {@code registration.email.max_attempts}; then it is kept as failed and counted.
 */
final class DecisionEmailJob {
  private static final Logger log = LoggerFactory.getLogger(DecisionEmailJob.class);

  private final RegistrationEmails outbox;
  private final MailClient mail;
  private final String from;
  private final RegistrationConfig.EmailWork config;
  private final RegistrationMetrics metrics;
  private final String owner;

  DecisionEmailJob(RegistrationEmails outbox, MailClient mail, String from, RegistrationConfig.EmailWork config,
                   RegistrationMetrics metrics, String owner) {
    this.outbox = outbox;
    this.mail = mail;
    this.from = from;
    this.config = config;
    this.metrics = metrics;
    this.owner = owner;
  }

  static MailClient mailClient(Vertx vertx, RegistrationConfig.Smtp smtp) {
    MailConfig config = new MailConfig()
        .setHostname(smtp.host())
        .setPort(smtp.port())
        .setSsl(smtp.tls() == RegistrationConfig.Tls.TLS)
        .setStarttls(smtp.tls() == RegistrationConfig.Tls.STARTTLS ? StartTLSOptions.REQUIRED : StartTLSOptions.DISABLED)
        .setConnectTimeout((int) smtp.timeout().toMillis());
    if (smtp.username().isPresent()) {
      config.setLogin(LoginOption.REQUIRED).setUsername(smtp.username().get()).setPassword(smtp.password().orElse(""));
    } else {
      config.setLogin(LoginOption.DISABLED);
    }
    return MailClient.create(vertx, config);
  }

  /** Sends one batch of due emails; answers how many were claimed (0: nothing is due). */
  Future<Integer> runOnce() {
    return outbox.claim(owner, config.work().lease(), config.work().batchSize())
        .compose(emails -> Future.join(emails.stream().map(this::send).toList()).map(done -> emails.size()));
  }

  private Future<Void> send(RegistrationEmails.Email email) {
    MailMessage message = new MailMessage().setFrom(from).setTo(email.to()).setSubject(email.subject()).setText(email.body());
    return mail.sendMail(message)
        .compose(sent -> outbox.sent(email, owner).map(recorded -> {
          metrics.emailSent();
          return (Void) null;
        }))
        .recover(failure -> {
          String error = failure.getClass().getSimpleName() + ": " + failure.getMessage();
          if (email.attempts() >= config.maxAttempts()) {
            log.warn("Decision email {} to {} failed for good after {} attempts: {}", email.id(), email.to(), email.attempts(), error);
            metrics.emailFailed();
            return outbox.failed(email, owner, error).mapEmpty();
          }
          log.info("Decision email {} failed (attempt {}), retried later: {}", email.id(), email.attempts(), error);
          metrics.emailRetried();
          return outbox.retryLater(email, owner, backoff(email.attempts()), error).mapEmpty();
        });
  }

  /** Equal jitter: half the exponential delay, plus up to the other half at random. */
  private Duration backoff(int attempts) {
    long ceiling = Math.min(config.maxBackoff().toMillis(), config.initialBackoff().toMillis() << Math.min(attempts - 1, 30));
    return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
  }

  /** For the worker: the batch size, to tell a full batch (drain again) from a partial one. */
  int batchSize() {
    return config.work().batchSize();
  }
}
