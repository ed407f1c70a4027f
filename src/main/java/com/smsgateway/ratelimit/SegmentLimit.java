package com.smsgateway.ratelimit;

/** The budgets a brand's segments are charged against. */
public enum SegmentLimit {
  PER_SECOND("per_second"),
  DAILY_TOTAL("daily_total"),
  DAILY_TMOBILE("daily_tmobile"),
  /** The sending workspace's daily share of a shared (pool) brand. */
  WORKSPACE_POOL_DAILY("workspace_pool_daily");

  private final String code;

  SegmentLimit(String code) {
    this.code = code;
  }

  /** The name used in API responses and in the Lua script. */
  public String code() {
    return code;
  }

  public static SegmentLimit fromCode(String code) {
    for (SegmentLimit limit : values()) {
      if (limit.code.equals(code)) {
        return limit;
      }
    }
    throw new IllegalArgumentException("unknown segment limit " + code);
  }
}
