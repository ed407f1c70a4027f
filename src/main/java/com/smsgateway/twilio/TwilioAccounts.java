package com.smsgateway.twilio;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * The Twilio accounts the gateway acts for, by Account SID: who signs a webhook ({@code AccountSid}) and whose
 * credentials send from a number. Bring-your-own accounts live in PostgreSQL; their store implements this
 * interface too and answers the platform account through a {@link PlatformTwilioAccounts} it wraps.
 */
public interface TwilioAccounts {
  /** The account with this SID, or empty when the gateway does not know it (its webhooks are refused). */
  Future<Optional<TwilioAccount>> find(String accountSid);

  /** The platform's own account: platform and pool numbers send through it. */
  TwilioAccount platform();
}
