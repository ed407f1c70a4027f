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
  /**
   * A standard brand whose trust score is known: T-Mobile's daily cap and the throughput follow the score band
   * (75–100, 50–74, 25–49, 1–24), as the carriers publish them.
   */
  public static final TierLimits STANDARD_SCORE_75 = new TierLimits("standard_score_75", 400_000, 200_000, 225);
  public static final TierLimits STANDARD_SCORE_50 = new TierLimits("standard_score_50", 400_000, 40_000, 120);
  public static final TierLimits STANDARD_SCORE_25 = new TierLimits("standard_score_25", 400_000, 10_000, 12);
  public static final TierLimits STANDARD_SCORE_1 = new TierLimits("standard_score_1", 400_000, 2_000, 12);

  /** The tier of a brand of {@code type} ({@code low_volume} or {@code standard}) with this trust score (null: unknown). */
  public static String tierOf(String type, Integer trustScore) {
    if (!"standard".equals(type) || trustScore == null || trustScore < 1) {
      return type;
    }
    if (trustScore >= 75) {
      return STANDARD_SCORE_75.name();
    }
    if (trustScore >= 50) {
      return STANDARD_SCORE_50.name();
    }
    return trustScore >= 25 ? STANDARD_SCORE_25.name() : STANDARD_SCORE_1.name();
  }

  public TierLimits {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("tier name is required");
    }
    if (dailyTotalSegments <= 0 || dailyTmobileSegments <= 0 || segmentsPerSecond <= 0) {
      throw new IllegalArgumentException("limits of tier " + name + " must be positive");
    }
  }
}
