package com.smsgateway.ratelimit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** The carriers' day an instant falls in: midnight to midnight in the carrier-day zone (23 or 25 hours at DST). */
record CarrierDay(LocalDate date, Instant end) {

  static CarrierDay containing(Instant instant, ZoneId zone) {
    LocalDate date = LocalDate.ofInstant(instant, zone);
    return new CarrierDay(date, date.plusDays(1).atStartOfDay(zone).toInstant());
  }
}
