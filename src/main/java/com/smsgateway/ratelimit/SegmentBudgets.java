package com.smsgateway.ratelimit;

/** A brand's use of each of its limits at one moment. */
public record SegmentBudgets(LimitUsage perSecond, LimitUsage dailyTotal, LimitUsage dailyTmobile) {

  public LimitUsage of(SegmentLimit limit) {
    return switch (limit) {
      case PER_SECOND -> perSecond;
      case DAILY_TOTAL -> dailyTotal;
      case DAILY_TMOBILE -> dailyTmobile;
    };
  }
}
