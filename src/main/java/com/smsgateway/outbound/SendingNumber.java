package com.smsgateway.outbound;

import com.smsgateway.twilio.TwilioAccount;
import java.util.Objects;
import java.util.Optional;

/**
 * Who sends a text: the number, its kind, the Twilio account it is sent through, and the brand charged (empty:
 * not rate limited). Callers choose the number and ask a {@link BrandResolver} for its brand.
 */
public record SendingNumber(SenderKind kind, String number, TwilioAccount account, Optional<Brand> brand) {
  public SendingNumber {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(number, "number");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(brand, "brand");
  }
}
