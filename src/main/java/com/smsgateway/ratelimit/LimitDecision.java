package com.smsgateway.ratelimit;

import java.time.Instant;

/** The outcome of {@link SegmentLimiter#tryCharge}. Budgets are as they stand after the decision. */
public sealed interface LimitDecision {

  SegmentBudgets budgets();

  /** The segments were charged to every applicable budget. */
  record Allowed(SegmentBudgets budgets) implements LimitDecision {}

  /**
   * Nothing was charged: {@code limit} is short.
   *
   * @param retryAt when that budget refills: the next second, or the next carrier-day midnight
   */
  record Rejected(SegmentLimit limit, Instant retryAt, SegmentBudgets budgets) implements LimitDecision {}
}
