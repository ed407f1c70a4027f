package com.smsgateway.messages;

import com.smsgateway.ratelimit.CarrierGroup;
import java.time.Instant;

/** What the limiter charged for one text, kept with the message so a send Twilio never took can be refunded. */
public record SegmentCharge(String brandId, String tier, CarrierGroup carrier, int segments, Instant chargedAt) {}
