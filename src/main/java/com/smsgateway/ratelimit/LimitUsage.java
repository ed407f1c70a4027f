package com.smsgateway.ratelimit;

/** Segments used against one limit. */
public record LimitUsage(long limit, long used) {

  /** Segments still available; never negative, even if a limit was lowered below what is already used. */
  public long remaining() {
    return Math.max(0, limit - used);
  }
}
