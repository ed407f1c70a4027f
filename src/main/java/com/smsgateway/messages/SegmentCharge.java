package com.smsgateway.messages;

import com.smsgateway.ratelimit.CarrierGroup;
import java.time.Instant;
import java.util.Optional;

/**
 * What the limiter charged for one text, kept with the message so a send Twilio never took can be refunded.
 * {@code shareWorkspaceId}: the workspace whose share of a shared (pool) brand was charged too.
 */
public record SegmentCharge(String brandId, String tier, CarrierGroup carrier, int segments, Instant chargedAt,
                            Optional<String> shareWorkspaceId) {}
