package com.smsgateway.ratelimit;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A brand's segment use in the current carrier day.
 *
 * @param carrierDay the carriers' day (in {@link RateLimitConfig#carrierDayZone()}) the daily figures belong to
 * @param resetsAt   when the daily budgets start over
 */
public record BrandUsage(String brandId, String tier, LocalDate carrierDay, Instant resetsAt, SegmentBudgets budgets) {}
