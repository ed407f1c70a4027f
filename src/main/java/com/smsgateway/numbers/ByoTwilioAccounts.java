package com.smsgateway.numbers;

import com.smsgateway.secrets.SecretBox;
import com.smsgateway.twilio.TwilioAccount;
import com.smsgateway.twilio.TwilioAccounts;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Twilio account the gateway acts for: the platform's (from configuration) and customers' own accounts
 * registered with a BYO number, whose auth tokens are kept sealed ({@link SecretBox}) in {@code byo_twilio_accounts}.
 * Webhook signature checks, status callbacks and BYO sends find an account's token here by its SID.
 */
public final class ByoTwilioAccounts implements TwilioAccounts {
  private static final Logger log = LoggerFactory.getLogger(ByoTwilioAccounts.class);
  private static final String FIND = "SELECT auth_token_ciphertext, key_id FROM byo_twilio_accounts WHERE account_sid = $1";
  private static final String SAVE = """
      INSERT INTO byo_twilio_accounts (account_sid, auth_token_ciphertext, key_id) VALUES ($1, $2, $3)
      ON CONFLICT (account_sid) DO UPDATE
        SET auth_token_ciphertext = EXCLUDED.auth_token_ciphertext, key_id = EXCLUDED.key_id, updated_at = now()""";
  // Forgotten once no BYO number uses it any more.
  private static final String FORGET_UNUSED = """
      DELETE FROM byo_twilio_accounts a WHERE a.account_sid = $1
        AND NOT EXISTS (SELECT 1 FROM sms_numbers n WHERE n.account_sid = a.account_sid AND n.type = 'byo_twilio')""";

  private final Pool pg;
  private final SecretBox secrets;
  private final TwilioAccounts platformAccounts;

  public ByoTwilioAccounts(Pool pg, SecretBox secrets, TwilioAccounts platformAccounts) {
    this.pg = pg;
    this.secrets = secrets;
    this.platformAccounts = platformAccounts;
  }

  @Override
  public Future<Optional<TwilioAccount>> find(String accountSid) {
    if (accountSid == null || accountSid.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    if (accountSid.equals(platform().accountSid())) {
      return Future.succeededFuture(Optional.of(platform()));
    }
    return pg.preparedQuery(FIND).execute(Tuple.of(accountSid)).map(rows -> {
      var it = rows.iterator();
      if (!it.hasNext()) {
        return Optional.empty();
      }
      Row row = it.next();
      try {
        String token = secrets.open(new SecretBox.Sealed(row.getString("key_id"), row.getString("auth_token_ciphertext")));
        return Optional.of(new TwilioAccount(accountSid, token));
      } catch (IllegalStateException unreadable) {
        // A key taken out of secrets.keys too early: the account's webhooks are refused (403) and its sends fail, loudly.
        log.error("The auth token of BYO account {} cannot be opened: {}", accountSid, unreadable.getMessage());
        return Optional.empty();
      }
    });
  }

  @Override
  public TwilioAccount platform() {
    return platformAccounts.platform();
  }

  /** Whether a customer's token can be stored (a secrets key is configured). */
  public boolean canStore() {
    return secrets.canSeal();
  }

  /** Stores the account's token sealed with the current key (replacing an older token or key). */
  public Future<Void> save(TwilioAccount account) {
    SecretBox.Sealed sealed = secrets.seal(account.authToken());
    return pg.preparedQuery(SAVE).execute(Tuple.of(account.accountSid(), sealed.ciphertext(), sealed.keyId())).mapEmpty();
  }

  /** Forgets the account's token when none of its numbers is registered any more. */
  public Future<Void> forgetIfUnused(String accountSid) {
    return pg.preparedQuery(FORGET_UNUSED).execute(Tuple.of(accountSid)).mapEmpty();
  }
}
