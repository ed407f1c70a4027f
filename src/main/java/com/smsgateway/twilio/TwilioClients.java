package com.smsgateway.twilio;

import com.twilio.http.TwilioRestClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One SDK client per Twilio account, built once and reused; all of them share one transport, which {@link #close()} closes. */
public final class TwilioClients implements AutoCloseable {
  private record Entry(TwilioAccount account, TwilioRestClient client) {}

  private final TwilioHttpTransport transport;
  private final Map<String, Entry> byAccountSid = new ConcurrentHashMap<>();

  public TwilioClients(TwilioHttpTransport transport) {
    this.transport = transport;
  }

  /** The account's client; a changed auth token (a BYO account re-registered) gets a new one. */
  public TwilioRestClient forAccount(TwilioAccount account) {
    return byAccountSid.compute(account.accountSid(), (sid, existing) ->
        existing != null && existing.account().equals(account)
            ? existing
            : new Entry(account, new TwilioRestClient.Builder(account.accountSid(), account.authToken()).httpClient(transport).build()))
        .client();
  }

  @Override
  public void close() {
    transport.close();
  }
}
