package com.smsgateway.work;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A leased table in memory, following the SQL lease convention: a job is claimable when it is pending and its lease
 * ({@code lease_owner}, {@code lease_until}) is free or ran out by the clock; every write names the owner and changes
 * nothing when another replica holds the job.
 */
final class FakeLeaseStore {
  private static final class Row {
    String leaseOwner;
    Instant leaseUntil;
    String result;
  }

  private final Clock clock;
  private final Duration lease;
  private final Map<String, Row> rows = new LinkedHashMap<>();
  private int renewals;

  FakeLeaseStore(Clock clock, Duration lease) {
    this.clock = clock;
    this.lease = lease;
  }

  synchronized void add(String id) {
    rows.put(id, new Row());
  }

  synchronized List<String> claim(String owner, int limit) {
    Instant now = clock.instant();
    List<String> claimed = new ArrayList<>();
    for (Map.Entry<String, Row> entry : rows.entrySet()) {
      Row row = entry.getValue();
      if (claimed.size() < limit && row.result == null && (row.leaseUntil == null || row.leaseUntil.isBefore(now))) {
        row.leaseOwner = owner;
        row.leaseUntil = now.plus(lease);
        claimed.add(entry.getKey());
      }
    }
    return claimed;
  }

  /** Records the job's result if {@code owner} still holds it. */
  synchronized boolean complete(String id, String owner, String result) {
    Row row = rows.get(id);
    if (!owner.equals(row.leaseOwner) || row.result != null) {
      return false;
    }
    row.result = result;
    row.leaseOwner = null;
    row.leaseUntil = null;
    return true;
  }

  synchronized boolean renew(String id, String owner) {
    Row row = rows.get(id);
    if (!owner.equals(row.leaseOwner)) {
      return false;
    }
    row.leaseUntil = clock.instant().plus(lease);
    renewals++;
    return true;
  }

  /** Another replica takes the job over (as after an expired lease). */
  synchronized void takeOver(String id, String owner) {
    rows.get(id).leaseOwner = owner;
    rows.get(id).leaseUntil = clock.instant().plus(lease);
  }

  synchronized String result(String id) {
    return rows.get(id).result;
  }

  synchronized String leaseOwner(String id) {
    return rows.get(id).leaseOwner;
  }

  synchronized int renewals() {
    return renewals;
  }
}
