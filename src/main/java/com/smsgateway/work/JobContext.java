package com.smsgateway.work;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;

/**
 * What the engine tells a running job: who owns its lease, its deadline, and whether it should stop. {@link #aborted()}
 * completes when the deadline passes or a lease renewal finds the lease lost; a job that can stop early (an HTTP
 * request) stops then. Whatever it still writes is owner-checked, so a job that lost its lease changes nothing.
 */
public final class JobContext {
  private final String owner;
  private final Instant deadline;
  private final Promise<String> aborted = Promise.promise();
  private boolean leaseLost;

  JobContext(String owner, Instant deadline) {
    this.owner = owner;
    this.deadline = deadline;
  }

  /** This replica, as the lease owner every write of the job names. */
  public String owner() {
    return owner;
  }

  /** When the engine stops waiting for the job (before its lease ends). */
  public Instant deadline() {
    return deadline;
  }

  /** Completes, with the reason, when the job should stop: its deadline passed or its lease was lost. */
  public Future<String> aborted() {
    return aborted.future();
  }

  /** True once a renewal found that another replica holds the job. */
  public boolean leaseLost() {
    return leaseLost;
  }

  void abort(String reason) {
    aborted.tryComplete(reason);
  }

  void loseLease() {
    leaseLost = true;
    abort("lease lost to another replica");
  }
}
