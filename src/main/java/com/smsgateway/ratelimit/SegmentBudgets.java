package com.smsgateway.ratelimit;

import java.util.List;
import java.util.Optional;

/**
 * A brand's use of each of its limits at one moment; {@code workspacePoolDaily} is the sending workspace's share of
 * a shared brand, when the charge had one.
 */
public record SegmentBudgets(LimitUsage perSecond, LimitUsage dailyTotal, LimitUsage dailyTmobile, Optional<LimitUsage> workspacePoolDaily) {

  public SegmentBudgets(LimitUsage perSecond, LimitUsage dailyTotal, LimitUsage dailyTmobile) {
    this(perSecond, dailyTotal, dailyTmobile, Optional.empty());
  }

  /** The limits these budgets hold: the brand's three, and the workspace's share when there is one. */
  public List<SegmentLimit> limits() {
    return workspacePoolDaily.isPresent()
        ? List.of(SegmentLimit.PER_SECOND, SegmentLimit.DAILY_TOTAL, SegmentLimit.DAILY_TMOBILE, SegmentLimit.WORKSPACE_POOL_DAILY)
        : List.of(SegmentLimit.PER_SECOND, SegmentLimit.DAILY_TOTAL, SegmentLimit.DAILY_TMOBILE);
  }

  public LimitUsage of(SegmentLimit limit) {
    return switch (limit) {
      case PER_SECOND -> perSecond;
      case DAILY_TOTAL -> dailyTotal;
      case DAILY_TMOBILE -> dailyTmobile;
      case WORKSPACE_POOL_DAILY -> workspacePoolDaily.orElseThrow();
    };
  }
}
