package com.smsgateway.work;

/** How one leased job ended, as counted in {@code gateway.work.jobs{worker, outcome}}. */
public enum JobOutcome {
  /** Finished and recorded. */
  DONE,
  /** Failed this time; recorded to be tried again later (with backoff). */
  RETRY,
  /** Failed for good (tries exhausted, or a failure a retry cannot fix); recorded. */
  GAVE_UP,
  /** Another replica holds the job now: this worker's owner-checked write changed nothing. */
  LEASE_LOST,
  /** The job ran past its deadline; the engine stopped waiting and asked it to abort. */
  DEADLINE_EXCEEDED,
  /** The job failed unexpectedly (a bug, or recording its outcome failed); its lease runs out and it is taken again. */
  ERROR;

  final String tag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
