package com.smsgateway.ratelimit;

import java.time.Instant;

/** The outcome of {@link SegmentLimiter#tryCharge}. Budgets are as they stand after the decision. */
public sealed interface LimitDecision {

  SegmentBudgets budgets();

  /**
   * The recipient's carrier the budgets were checked for (and, when allowed, charged for); {@link CarrierGroup#UNKNOWN}
   * when a budget every text is charged to refused it before the carrier was looked up.
   */
  CarrierGroup carrier();

  /** Whether {@link #carrier()} came from the brand's carrier cache in Redis rather than from the lookup. */
  boolean carrierCached();

  /**
   * The segments were charged to every applicable budget; {@code chargedAt} is the instant whose second and
   * carrier day were charged, so a refund returns them to the same day even across midnight.
   */
  record Allowed(CarrierGroup carrier, boolean carrierCached, SegmentBudgets budgets, Instant chargedAt) implements LimitDecision {}

  /**
   * Nothing was charged: {@code limit} is short.
   *
   * @param retryAt when that budget refills: the next second, or the next carrier-day midnight
   */
  record Rejected(SegmentLimit limit, Instant retryAt, CarrierGroup carrier, boolean carrierCached, SegmentBudgets budgets)
      implements LimitDecision {}
}
