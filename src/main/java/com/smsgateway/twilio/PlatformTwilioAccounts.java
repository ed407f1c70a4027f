package com.smsgateway.twilio;

import io.vertx.core.Future;
import java.util.Optional;

/** Knows only the platform account of the configuration. */
public final class PlatformTwilioAccounts implements TwilioAccounts {
  private final TwilioAccount platform;

  public PlatformTwilioAccounts(TwilioAccount platform) {
    this.platform = platform;
  }

  @Override
  public Future<Optional<TwilioAccount>> find(String accountSid) {
    return Future.succeededFuture(platform.accountSid().equals(accountSid) ? Optional.of(platform) : Optional.empty());
  }

  @Override
  public TwilioAccount platform() {
    return platform;
  }
}
