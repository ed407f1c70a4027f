package com.smsgateway.ratelimit;

/**
 * The segment limits of one brand tier (A2P 10DLC brand type).
 *
 * @param name                  tier name as configured, e.g. {@code low_volume}
 * @param dailyTotalSegments    segments per carrier day to all US carriers
 * @param dailyTmobileSegments  segments per carrier day to T-Mobile (part of the total)
 * @param segmentsPerSecond     throughput per second
 */
public record TierLimits(String name, long dailyTotalSegments, long dailyTmobileSegments, long segmentsPerSecond) {
  public static final TierLimits LOW_VOLUME = new TierLimits("low_volume", 6_000, 2_000, 12);
  public static final TierLimits STANDARD = new TierLimits("standard", 400_000, 200_000, 75);

  public TierLimits {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("tier name is required");
    }
    if (dailyTotalSegments <= 0 || dailyTmobileSegments <= 0 || segmentsPerSecond <= 0) {
      throw new IllegalArgumentException("limits of tier " + name + " must be positive");
    }
  }
}
