package com.smsgateway.registration;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * The decision emails' outbox ({@code registration_emails}): a row is written in the decision's transaction, then
 * any replica claims due rows with a lease (owner + expiry, CONTRACTS.md), sends one, and records the outcome only if
 * it still holds the lease. A failed send is retried with backoff until {@code registration.email.max_attempts}.
 */
public final class RegistrationEmails {
  private static final String ENQUEUE = """
      INSERT INTO registration_emails (dedupe_key, workspace_id, to_address, subject, body) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (dedupe_key) DO NOTHING""";
  private static final String CLAIM = """
      UPDATE registration_emails e SET lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond', attempts = e.attempts + 1
      WHERE e.id IN (SELECT id FROM registration_emails
                     WHERE state = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
                     ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
      RETURNING e.id, e.to_address, e.subject, e.body, e.attempts""";
  private static final String SENT = """
      UPDATE registration_emails SET state = 'sent', sent_at = now(), lease_owner = NULL, lease_until = NULL, last_error = NULL
      WHERE id = $1 AND lease_owner = $2""";
  private static final String RETRY = """
      UPDATE registration_emails SET next_attempt_at = now() + $3 * interval '1 millisecond', lease_owner = NULL, lease_until = NULL,
                                     last_error = $4
      WHERE id = $1 AND lease_owner = $2""";
  private static final String FAILED = """
      UPDATE registration_emails SET state = 'failed', lease_owner = NULL, lease_until = NULL, last_error = $3
      WHERE id = $1 AND lease_owner = $2""";

  /** One claimed email; {@code attempts} counts this one. */
  public record Email(long id, String to, String subject, String body, int attempts) {}

  private final Pool pg;

  public RegistrationEmails(Pool pg) {
    this.pg = pg;
  }

  /** Queues the email of a decision, in the decision's transaction; the same decision of the same submission queues one. */
  Future<Void> enqueue(SqlClient tx, RegistrationKind kind, Registration step, String decision, String reason, String to, String legalName) {
    String what = kind.title() + " " + step.id();
    String subject = what + " " + decision;
    StringBuilder body = new StringBuilder()
        .append("Hello,\n\nThe A2P 10DLC registration step ").append(what).append(" of ").append(legalName)
        .append(" (workspace ").append(step.workspaceId()).append(") is now ").append(decision).append(".\n");
    if (!"approved".equals(decision) && reason != null) {
      body.append("\nReason: ").append(reason).append('\n');
    }
    body.append(switch (decision) {
      case "approved" -> kind == RegistrationKind.CAMPAIGN
          ? "\nThe workspace's platform numbers can send SMS now.\n"
          : "\nYou can continue with the next registration step.\n";
      case "rejected" -> "\nCorrect the details and resubmit the step (a resubmission is charged again).\n";
      default -> "\nThe workspace's platform numbers cannot send SMS until a campaign is approved again.\n";
    });
    String dedupeKey = kind.wireName() + ":" + step.id() + ":" + decision + ":" + step.submittedAt().toEpochMilli();
    return tx.preparedQuery(ENQUEUE).execute(Tuple.of(dedupeKey, step.workspaceId(), to, subject, body.toString())).mapEmpty();
  }

  public Future<List<Email>> claim(String owner, Duration lease, int batchSize) {
    return pg.preparedQuery(CLAIM).execute(Tuple.of(owner, lease.toMillis(), batchSize)).map(rows ->
        StreamSupport.stream(rows.spliterator(), false).map(RegistrationEmails::toEmail).toList());
  }

  public Future<Boolean> sent(Email email, String owner) {
    return pg.preparedQuery(SENT).execute(Tuple.of(email.id(), owner)).map(rows -> rows.rowCount() == 1);
  }

  public Future<Boolean> retryLater(Email email, String owner, Duration delay, String error) {
    return pg.preparedQuery(RETRY).execute(Tuple.of(email.id(), owner, delay.toMillis(), error)).map(rows -> rows.rowCount() == 1);
  }

  public Future<Boolean> failed(Email email, String owner, String error) {
    return pg.preparedQuery(FAILED).execute(Tuple.of(email.id(), owner, error)).map(rows -> rows.rowCount() == 1);
  }

  private static Email toEmail(Row row) {
    return new Email(row.getLong("id"), row.getString("to_address"), row.getString("subject"), row.getString("body"), row.getInteger("attempts"));
  }
}
