package com.smsgateway.registration;

import com.smsgateway.work.Backoff;
import com.smsgateway.work.JobContext;
import com.smsgateway.work.JobOutcome;
import com.smsgateway.work.LeasedWorker;
import com.smsgateway.work.WorkerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the decision emails of the outbox, on the leased-work engine: claims a batch with this replica's lease, sends each through SMTP and
 * records the outcome only while still holding the lease. A failed send waits (exponential backoff, equal jitter)
 * and is tried again, up to {@code registration.email.max_attempts}; then it is kept as failed and counted.
 */
final class DecisionEmailJob extends LeasedWorker<RegistrationEmails.Email> {
  static final String NAME = "registration_emails";

  private static final Logger log = LoggerFactory.getLogger(DecisionEmailJob.class);

  private final RegistrationEmails outbox;
  private final MailClient mail;
  private final String from;
  private final RegistrationConfig.EmailWork config;
  private final RegistrationMetrics metrics;
  private final Backoff backoff;

  DecisionEmailJob(RegistrationEmails outbox, MailClient mail, String from, RegistrationConfig.EmailWork config,
                   RegistrationMetrics metrics, MeterRegistry registry) {
    super(WorkerSettings.of(NAME, config.work().interval(), true, config.work().batchSize(), config.work().lease(),
        "registration.email.lease", config.work().lease().dividedBy(2), "registration.email.lease"), registry, Clock.systemUTC());
    this.backoff = new Backoff(config.initialBackoff(), config.maxBackoff(), Backoff.Jitter.EQUAL);
    this.outbox = outbox;
    this.mail = mail;
    this.from = from;
    this.config = config;
    this.metrics = metrics;
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

  @Override
  protected Future<List<RegistrationEmails.Email>> claim(String owner, int limit) {
    return outbox.claim(owner, config.work().lease(), limit);
  }

  @Override
  protected Future<JobOutcome> process(RegistrationEmails.Email email, JobContext context) {
    return send(email, context.owner());
  }

  private Future<JobOutcome> send(RegistrationEmails.Email email, String owner) {
    MailMessage message = new MailMessage().setFrom(from).setTo(email.to()).setSubject(email.subject()).setText(email.body());
    return mail.sendMail(message)
        .compose(sent -> outbox.sent(email, owner).map(recorded -> {
          metrics.emailSent();
          return JobOutcome.DONE;
        }))
        .recover(failure -> {
          String error = failure.getClass().getSimpleName() + ": " + failure.getMessage();
          if (email.attempts() >= config.maxAttempts()) {
            log.warn("Decision email {} to {} failed for good after {} attempts: {}", email.id(), email.to(), email.attempts(), error);
            metrics.emailFailed();
            return outbox.failed(email, owner, error).map(JobOutcome.GAVE_UP);
          }
          log.info("Decision email {} failed (attempt {}), retried later: {}", email.id(), email.attempts(), error);
          metrics.emailRetried();
          return outbox.retryLater(email, owner, backoff.delay(email.attempts()), error).map(JobOutcome.RETRY);
        });
  }
}
