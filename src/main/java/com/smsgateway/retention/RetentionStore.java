package com.smsgateway.retention;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;

/**
 * The purge statements for the tables beside messages (one bounded batch each, oldest first, rows locked by another
 * transaction skipped; texts and parked callbacks: {@code MessageStore}) and the purge's lease.
 */
final class RetentionStore {
  private static final String CALL_SESSION_DELIVERIES = """
      DELETE FROM call_session_deliveries WHERE message_id IN (
        SELECT message_id FROM call_session_deliveries
        WHERE state <> 'pending' AND created_at < now() - $1 * interval '1 millisecond'
        ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      """;
  private static final String CARRIER_LOOKUPS = """
      DELETE FROM carrier_lookups WHERE phone_number IN (
        SELECT phone_number FROM carrier_lookups
        WHERE looked_up_at < now() - $1 * interval '1 millisecond'
        ORDER BY looked_up_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      """;
  private static final String IDEMPOTENCY_KEYS = """
      DELETE FROM idempotency_keys WHERE (scope, idempotency_key) IN (
        SELECT scope, idempotency_key FROM idempotency_keys
        WHERE created_at < now() - $1 * interval '1 millisecond'
        ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      """;
  /** Takes the lease if it is free (expired) or already ours. */
  private static final String ACQUIRE = """
      INSERT INTO maintenance_leases (job, lease_owner, lease_until) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
      ON CONFLICT (job) DO UPDATE SET lease_owner = EXCLUDED.lease_owner, lease_until = EXCLUDED.lease_until
      WHERE maintenance_leases.lease_until < now() OR maintenance_leases.lease_owner = EXCLUDED.lease_owner
      RETURNING job
      """;
  /** Renews (or, at the end of a run, extends to the next run) the lease, only while it is still ours. */
  private static final String HOLD = """
      UPDATE maintenance_leases SET lease_until = now() + $3 * interval '1 millisecond'
      WHERE job = $1 AND lease_owner = $2
      """;

  private final Pool pool;

  RetentionStore(Pool pool) {
    this.pool = pool;
  }

  Future<Integer> purgeCallSessionDeliveries(Duration age, int limit) {
    return delete(CALL_SESSION_DELIVERIES, age, limit);
  }

  Future<Integer> purgeCarrierLookups(Duration age, int limit) {
    return delete(CARRIER_LOOKUPS, age, limit);
  }

  Future<Integer> purgeIdempotencyKeys(Duration age, int limit) {
    return delete(IDEMPOTENCY_KEYS, age, limit);
  }

  Future<Boolean> acquire(String job, String owner, Duration lease) {
    return pool.preparedQuery(ACQUIRE).execute(Tuple.of(job, owner, lease.toMillis())).map(rows -> rows.size() > 0);
  }

  Future<Boolean> hold(String job, String owner, Duration until) {
    return pool.preparedQuery(HOLD).execute(Tuple.of(job, owner, until.toMillis())).map(rows -> rows.rowCount() > 0);
  }

  private Future<Integer> delete(String sql, Duration age, int limit) {
    return pool.preparedQuery(sql).execute(Tuple.of(age.toMillis(), limit)).map(rows -> rows.rowCount());
  }
}
