package com.smsgateway.registration;

import com.smsgateway.outbound.ConfiguredBrandResolver;
import com.smsgateway.ratelimit.TierLimits;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/**
 * The rate-limit tiers registration decided: a workspace's approved brand (the newest decision wins; a standard brand
 * by its trust score), and the tier a BYO number's owner declared.
 */
public final class RegisteredBrandTiers implements ConfiguredBrandResolver.RegisteredTiers {
  private static final String WORKSPACE_BRAND = """
      SELECT type, brand_score FROM brands WHERE workspace_id = $1 AND status = 'approved'
      ORDER BY decided_at DESC NULLS LAST LIMIT 1""";
  private static final String BYO_NUMBER = "SELECT account_sid, brand_tier FROM sms_numbers WHERE phone_number = $1 AND type = 'byo_twilio'";
  private static final String BYO_ACCOUNT = """
      SELECT brand_tier FROM sms_numbers WHERE account_sid = $1 AND type = 'byo_twilio' AND brand_tier IS NOT NULL
      ORDER BY phone_number LIMIT 1""";

  private final Pool pg;

  public RegisteredBrandTiers(Pool pg) {
    this.pg = pg;
  }

  @Override
  public Future<Optional<String>> workspaceTier(String workspaceId) {
    return pg.preparedQuery(WORKSPACE_BRAND).execute(Tuple.of(workspaceId)).map(rows -> {
      var it = rows.iterator();
      if (!it.hasNext()) {
        return Optional.empty();
      }
      Row row = it.next();
      return Optional.of(TierLimits.tierOf(row.getString("type"), row.getInteger("brand_score")));
    });
  }

  @Override
  public Future<Optional<ConfiguredBrandResolver.ByoBrand>> byoNumber(String phoneNumber) {
    return pg.preparedQuery(BYO_NUMBER).execute(Tuple.of(phoneNumber)).map(rows -> {
      var it = rows.iterator();
      if (!it.hasNext()) {
        return Optional.empty();
      }
      Row row = it.next();
      return row.getString("account_sid") == null
          ? Optional.empty()
          : Optional.of(new ConfiguredBrandResolver.ByoBrand(row.getString("account_sid"), row.getString("brand_tier")));
    });
  }

  @Override
  public Future<Optional<String>> byoAccountTier(String accountSid) {
    return pg.preparedQuery(BYO_ACCOUNT).execute(Tuple.of(accountSid)).map(rows -> {
      var it = rows.iterator();
      return it.hasNext() ? Optional.ofNullable(it.next().getString("brand_tier")) : Optional.empty();
    });
  }
}
