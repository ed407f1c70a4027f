package com.smsgateway.registration;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * The live-mode bookkeeping of registration steps: pending steps due for a visit to Twilio are claimed with a lease
 * (owner + expiry, CONTRACTS.md), and what the visit learned (the Twilio resource's sid, the next visit) is recorded
 * only while the claim is still held.
 */
final class LiveRegistrations {
  private final Pool pg;

  LiveRegistrations(Pool pg) {
    this.pg = pg;
  }

  /** Ids of due pending steps of {@code kind}, now leased to {@code owner}. */
  Future<List<String>> claimDue(RegistrationKind kind, String owner, Duration lease, int batchSize) {
    String table = kind.table();
    String sql = "UPDATE " + table + " t SET lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond' "
        + "WHERE t.id IN (SELECT id FROM " + table + " WHERE status = 'pending' AND (next_poll_at IS NULL OR next_poll_at <= now()) "
        + "AND (lease_until IS NULL OR lease_until < now()) ORDER BY submitted_at LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING t.id";
    return pg.preparedQuery(sql).execute(Tuple.of(owner, lease.toMillis(), batchSize))
        .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(row -> row.getString("id")).toList());
  }

  /** Records the Twilio sid in {@code column} (when given) and when to look again; false when the lease was lost. */
  Future<Boolean> record(RegistrationKind kind, String id, String owner, Optional<String> column, String sid, Duration nextVisit) {
    String set = column.map(name -> name + " = $4, ").orElse("");
    String sql = "UPDATE " + kind.table() + " SET " + set + "next_poll_at = now() + $3 * interval '1 millisecond', "
        + "lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2";
    Tuple params = column.isPresent() ? Tuple.of(id, owner, nextVisit.toMillis(), sid) : Tuple.of(id, owner, nextVisit.toMillis());
    return pg.preparedQuery(sql).execute(params).map(rows -> rows.rowCount() == 1);
  }

  /** What submitting a brand needs of its profile. */
  record ProfileOfBrand(String profileId, String customerProfileSid, String trustProductSid, String legalName, String email) {}

  Future<ProfileOfBrand> profileOfBrand(String brandId) {
    return pg.preparedQuery("""
            SELECT p.id, p.twilio_customer_profile_sid, p.twilio_trust_product_sid, p.legal_name, p.contact_email
            FROM brands b JOIN business_profiles p ON p.id = b.business_profile_id WHERE b.id = $1""")
        .execute(Tuple.of(brandId)).map(rows -> {
          Row row = rows.iterator().next();
          return new ProfileOfBrand(row.getString("id"), row.getString("twilio_customer_profile_sid"),
              row.getString("twilio_trust_product_sid"), row.getString("legal_name"), row.getString("contact_email"));
        });
  }

  Future<Void> recordTrustProduct(String profileId, String trustProductSid) {
    return pg.preparedQuery("UPDATE business_profiles SET twilio_trust_product_sid = $2 WHERE id = $1")
        .execute(Tuple.of(profileId, trustProductSid)).mapEmpty();
  }

  /** The brand's Twilio BrandRegistration sid (null until submitted). */
  Future<String> brandSid(String brandId) {
    return pg.preparedQuery("SELECT twilio_brand_sid FROM brands WHERE id = $1").execute(Tuple.of(brandId))
        .map(rows -> rows.iterator().next().getString("twilio_brand_sid"));
  }

  Future<Optional<String>> messagingService(String workspaceId) {
    return pg.preparedQuery("SELECT service_sid FROM messaging_services WHERE workspace_id = $1").execute(Tuple.of(workspaceId))
        .map(rows -> rows.iterator().hasNext() ? Optional.of(rows.iterator().next().getString("service_sid")) : Optional.empty());
  }

  /** Keeps the first service recorded for the workspace (a replica racing another creates one more, unused). */
  Future<String> recordMessagingService(String workspaceId, String serviceSid) {
    return pg.preparedQuery("""
            INSERT INTO messaging_services (workspace_id, service_sid) VALUES ($1, $2) ON CONFLICT (workspace_id) DO NOTHING""")
        .execute(Tuple.of(workspaceId, serviceSid))
        .compose(inserted -> messagingService(workspaceId)).map(Optional::orElseThrow);
  }

  /** The IncomingPhoneNumber sids of the workspace's platform numbers, to add to its Messaging Service. */
  Future<List<String>> platformNumberSids(String workspaceId) {
    return pg.preparedQuery("SELECT twilio_sid FROM sms_numbers WHERE workspace_id = $1 AND type = 'platform' AND twilio_sid IS NOT NULL")
        .execute(Tuple.of(workspaceId))
        .map(rows -> StreamSupport.stream(rows.spliterator(), false).map(row -> row.getString("twilio_sid")).toList());
  }
}
