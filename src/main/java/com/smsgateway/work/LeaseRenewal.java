package com.smsgateway.work;

import io.vertx.core.Future;

/**
 * Implemented by a {@link LeasedWorker} whose jobs may outlast their lease (its settings have {@code renewEvery}): the
 * engine calls {@link #renew} for each running job that often. A worker with {@code renewEvery} that does not implement
 * it is refused when it is built.
 *
 * @param <J> one claimed job
 */
public interface LeaseRenewal<J> {
  /** Extends the job's lease by the worker's lease if {@code owner} still holds it; false: it was lost. */
  Future<Boolean> renew(J job, String owner);
}
