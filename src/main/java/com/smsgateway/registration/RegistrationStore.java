package com.smsgateway.registration;

import com.smsgateway.domain.DomainFailure;
import com.smsgateway.numbers.SmsNumberStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;

/**
 * The registration tables: business profiles, brands, campaigns, the fees ledger. Every submission and decision is one
 * transaction together with its fee, its decision email (the outbox row) and the A2P status of the workspace's
 * platform numbers, so none of them is ever half applied; a decision applied twice changes nothing the second time.
 */
public final class RegistrationStore {
  private static final String COMMON = "id, workspace_id, status, rejection_reason, submitted_at, decided_at, created_at, updated_at";
  private static final Map<RegistrationKind, String> SELECT = new EnumMap<>(Map.of(
      RegistrationKind.BUSINESS_PROFILE, "SELECT " + COMMON + ", legal_name, ein, street, city, region, postal_code, country, website, "
          + "contact_email, contact_phone, twilio_customer_profile_sid AS twilio_sid, "
          + "(SELECT b.id FROM brands b WHERE b.business_profile_id = p.id) AS brand_id FROM business_profiles p",
      RegistrationKind.BRAND, "SELECT " + COMMON + ", business_profile_id, type, brand_score, twilio_brand_sid AS twilio_sid FROM brands",
      RegistrationKind.CAMPAIGN, "SELECT " + COMMON + ", brand_id, use_case, description, sample_messages, message_flow, opt_in_keywords, "
          + "opt_out_message, help_message, has_embedded_links, has_embedded_phone, twilio_campaign_sid AS twilio_sid FROM campaigns"));
  private static final String INSERT_PROFILE = """
      INSERT INTO business_profiles (id, workspace_id, status, legal_name, ein, street, city, region, postal_code, country, website,
                                     contact_email, contact_phone, submitted_at)
      VALUES ($1, $2, 'pending', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)""";
  private static final String UPDATE_PROFILE_FIELDS = """
      UPDATE business_profiles SET legal_name = $2, ein = $3, street = $4, city = $5, region = $6, postal_code = $7, country = $8,
                                   website = $9, contact_email = $10, contact_phone = $11 WHERE id = $1""";
  private static final String INSERT_BRAND = """
      INSERT INTO brands (id, business_profile_id, workspace_id, type, status, submitted_at) VALUES ($1, $2, $3, $4, 'pending', $5)""";
  private static final String INSERT_CAMPAIGN = """
      INSERT INTO campaigns (id, brand_id, workspace_id, status, use_case, description, sample_messages, message_flow, opt_in_keywords,
                             opt_out_message, help_message, has_embedded_links, has_embedded_phone, submitted_at)
      VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)""";
  private static final String UPDATE_CAMPAIGN_FIELDS = """
      UPDATE campaigns SET use_case = $2, description = $3, sample_messages = $4, message_flow = $5, opt_in_keywords = $6,
                           opt_out_message = $7, help_message = $8, has_embedded_links = $9, has_embedded_phone = $10 WHERE id = $1""";
  private static final String INSERT_FEE = """
      INSERT INTO registration_fees (workspace_id, kind, resource_id, description, amount_cents, created_at) VALUES ($1, $2, $3, $4, $5, $6)""";
  private static final String FEES = """
      SELECT id, kind, resource_id, description, amount_cents, created_at FROM registration_fees WHERE workspace_id = $1 ORDER BY id""";
  private static final String CONTACT = """
      SELECT p.contact_email, p.legal_name FROM business_profiles p
      WHERE p.id = CASE $1 WHEN 'business_profile' THEN $2
                           WHEN 'brand' THEN (SELECT business_profile_id FROM brands WHERE id = $2)
                           ELSE (SELECT b.business_profile_id FROM brands b JOIN campaigns c ON c.brand_id = b.id WHERE c.id = $2) END""";

  /** Fees in cents (registration.fees.*). */
  public record Fees(int businessProfile, int brandLowVolume, int brandStandard, int campaign) {}

  private final Pool pg;
  private final Fees fees;
  private final RegistrationEmails emails;

  RegistrationStore(Pool pg, Fees fees, RegistrationEmails emails) {
    this.pg = pg;
    this.fees = fees;
    this.emails = emails;
  }

  static String newId(RegistrationKind kind) {
    String prefix = switch (kind) {
      case BUSINESS_PROFILE -> "bp_";
      case BRAND -> "br_";
      case CAMPAIGN -> "cmp_";
    };
    return prefix + UUID.randomUUID().toString().replace("-", "");
  }

  public Future<Optional<Registration>> find(RegistrationKind kind, String id) {
    return find(pg, kind, id, false);
  }

  private static Future<Optional<Registration>> find(SqlClient client, RegistrationKind kind, String id, boolean forUpdate) {
    String sql = "SELECT * FROM (" + SELECT.get(kind) + ") r WHERE r.id = $1";
    if (forUpdate) {
      // The subquery cannot be locked; the row itself is, by its own table.
      return client.preparedQuery("SELECT id FROM " + kind.table() + " WHERE id = $1 FOR UPDATE").execute(Tuple.of(id))
          .compose(locked -> client.preparedQuery(sql).execute(Tuple.of(id)))
          .map(rows -> first(kind, rows));
    }
    return client.preparedQuery(sql).execute(Tuple.of(id)).map(rows -> first(kind, rows));
  }

  /** Profiles of a workspace (all when empty), oldest first. */
  public Future<List<Registration>> profiles(Optional<String> workspaceId) {
    String sql = "SELECT * FROM (" + SELECT.get(RegistrationKind.BUSINESS_PROFILE) + ") r"
        + (workspaceId.isPresent() ? " WHERE r.workspace_id = $1" : "") + " ORDER BY r.created_at, r.id LIMIT 1000";
    return pg.preparedQuery(sql).execute(workspaceId.map(Tuple::of).orElseGet(Tuple::tuple)).map(rows -> all(RegistrationKind.BUSINESS_PROFILE, rows));
  }

  public Future<List<Registration>> campaignsOfBrand(String brandId) {
    String sql = "SELECT * FROM (" + SELECT.get(RegistrationKind.CAMPAIGN) + ") r WHERE r.brand_id = $1 ORDER BY r.created_at, r.id";
    return pg.preparedQuery(sql).execute(Tuple.of(brandId)).map(rows -> all(RegistrationKind.CAMPAIGN, rows));
  }

  /** A validated business profile's fields. */
  public record ProfileFields(String legalName, String ein, String street, String city, String region, String postalCode,
                              String country, String website, String contactEmail, String contactPhone) {
    List<Object> values() {
      return List.of(legalName, ein, street, city, region, postalCode, country, website, contactEmail, contactPhone);
    }

    Tuple withId(String id) {
      List<Object> values = new ArrayList<>(List.of(id));
      values.addAll(values());
      return Tuple.from(values);
    }
  }

  /** A validated campaign's fields. */
  public record CampaignFields(String useCase, String description, List<String> sampleMessages, String messageFlow,
                               List<String> optInKeywords, String optOutMessage, String helpMessage, boolean hasEmbeddedLinks,
                               boolean hasEmbeddedPhone) {
    List<Object> values() {
      List<Object> values = new ArrayList<>();
      values.add(useCase);
      values.add(description);
      values.add(new JsonArray(sampleMessages));
      values.add(messageFlow);
      values.add(optInKeywords == null ? null : new JsonArray(optInKeywords));
      values.add(optOutMessage);
      values.add(helpMessage);
      values.add(hasEmbeddedLinks);
      values.add(hasEmbeddedPhone);
      return values;
    }
  }

  public Future<Registration> createProfile(String workspaceId, ProfileFields fields, Instant now) {
    String id = newId(RegistrationKind.BUSINESS_PROFILE);
    List<Object> values = new ArrayList<>(List.of(id, workspaceId));
    values.addAll(fields.values());
    values.add(utc(now));
    return pg.withTransaction(tx -> tx.preparedQuery(INSERT_PROFILE).execute(Tuple.from(values))
        .compose(inserted -> fee(tx, workspaceId, RegistrationKind.BUSINESS_PROFILE, id, "Business profile " + id + " (free)",
            fees.businessProfile(), now))
        .compose(charged -> find(tx, RegistrationKind.BUSINESS_PROFILE, id, false)).map(Optional::orElseThrow));
  }

  /**
   * Submits the profile's brand: 409 {@code profile_not_approved}; 409 {@code brand_exists} when it has one (a
   * rejected one is resubmitted instead, charged again). Answers the brand and whether it was resubmitted.
   */
  public Future<Registration> submitBrand(String profileId, String type, Instant now) {
    return pg.withTransaction(tx -> find(tx, RegistrationKind.BUSINESS_PROFILE, profileId, true).compose(found -> {
      Registration profile = found.orElseThrow(() -> DomainFailure.notFound("Business profile '" + profileId + "'"));
      if (!"approved".equals(profile.status())) {
        return Future.failedFuture(DomainFailure.conflict("profile_not_approved",
            "Business profile " + profileId + " is " + profile.status() + "; a brand can be registered once it is approved."));
      }
      String existing = profile.fields().getString("brand_id");
      if (existing != null) {
        return Future.failedFuture(DomainFailure.conflict("brand_exists", "Business profile " + profileId + " already has brand "
            + existing + "; a brand is never replaced (a rejected one is resubmitted: POST /v1/brands/" + existing + "/resubmit).")
            .with("brand_id", existing));
      }
      String id = newId(RegistrationKind.BRAND);
      return tx.preparedQuery(INSERT_BRAND).execute(Tuple.of(id, profileId, profile.workspaceId(), type, utc(now)))
          .compose(inserted -> fee(tx, profile.workspaceId(), RegistrationKind.BRAND, id, "Brand " + id + " (" + type + ")", brandFee(type), now))
          .compose(charged -> find(tx, RegistrationKind.BRAND, id, false)).map(Optional::orElseThrow);
    }));
  }

  private int brandFee(String type) {
    return "standard".equals(type) ? fees.brandStandard() : fees.brandLowVolume();
  }

  /** Submits a campaign of an approved brand (409 {@code brand_not_approved}); the workspace's numbers become a2p_pending. */
  public Future<Registration> submitCampaign(String brandId, CampaignFields fields, Instant now) {
    return pg.withTransaction(tx -> find(tx, RegistrationKind.BRAND, brandId, true).compose(found -> {
      Registration brand = found.orElseThrow(() -> DomainFailure.notFound("Brand '" + brandId + "'"));
      if (!"approved".equals(brand.status())) {
        return Future.failedFuture(DomainFailure.conflict("brand_not_approved",
            "Brand " + brandId + " is " + brand.status() + "; campaigns can be registered once it is approved."));
      }
      String id = newId(RegistrationKind.CAMPAIGN);
      List<Object> values = new ArrayList<>(List.of(id, brandId, brand.workspaceId()));
      values.addAll(fields.values());
      values.add(utc(now));
      return tx.preparedQuery(INSERT_CAMPAIGN).execute(Tuple.from(values))
          .compose(inserted -> fee(tx, brand.workspaceId(), RegistrationKind.CAMPAIGN, id, "Campaign " + id, fees.campaign(), now))
          .compose(charged -> SmsNumberStore.refreshWorkspaceStatus(tx, brand.workspaceId()))
          .compose(refreshed -> find(tx, RegistrationKind.CAMPAIGN, id, false)).map(Optional::orElseThrow);
    }));
  }

  /**
   * Resubmits a rejected step (409 {@code not_rejected} otherwise): pending again, its reason cleared, charged
   * again; {@code profileFields} / {@code campaignFields} replace the step's fields when given.
   */
  public Future<Registration> resubmit(RegistrationKind kind, String id, Optional<ProfileFields> profileFields,
                                       Optional<CampaignFields> campaignFields, Optional<String> brandType, Instant now) {
    return pg.withTransaction(tx -> find(tx, kind, id, true).compose(found -> {
      Registration step = found.orElseThrow(() -> DomainFailure.notFound(kind.title() + " '" + id + "'"));
      if (!"rejected".equals(step.status())) {
        return Future.failedFuture(DomainFailure.conflict("not_rejected",
            kind.title() + " " + id + " is " + step.status() + "; only a rejected step is resubmitted."));
      }
      Future<?> fieldsUpdated = Future.succeededFuture();
      if (profileFields.isPresent()) {
        fieldsUpdated = tx.preparedQuery(UPDATE_PROFILE_FIELDS).execute(profileFields.get().withId(id));
      } else if (campaignFields.isPresent()) {
        List<Object> values = new ArrayList<>(List.of(id));
        values.addAll(campaignFields.get().values());
        fieldsUpdated = tx.preparedQuery(UPDATE_CAMPAIGN_FIELDS).execute(Tuple.from(values));
      } else if (brandType.isPresent()) {
        fieldsUpdated = tx.preparedQuery("UPDATE brands SET type = $2 WHERE id = $1").execute(Tuple.of(id, brandType.get()));
      }
      String type = brandType.orElse(step.fields().getString("type"));
      int fee = switch (kind) {
        case BUSINESS_PROFILE -> fees.businessProfile();
        case BRAND -> brandFee(type);
        case CAMPAIGN -> fees.campaign();
      };
      return fieldsUpdated
          .compose(updated -> tx.preparedQuery("UPDATE " + kind.table() + " SET status = 'pending', rejection_reason = NULL, "
              + "submitted_at = $2, decided_at = NULL, next_poll_at = NULL, updated_at = $2 WHERE id = $1").execute(Tuple.of(id, utc(now))))
          .compose(updated -> fee(tx, step.workspaceId(), kind, id, kind.title() + " " + id + " resubmitted", fee, now))
          .compose(charged -> kind == RegistrationKind.CAMPAIGN
              ? SmsNumberStore.refreshWorkspaceStatus(tx, step.workspaceId()).mapEmpty()
              : Future.succeededFuture())
          .compose(refreshed -> find(tx, kind, id, false)).map(Optional::orElseThrow);
    }));
  }

  /** The outcome of a decision: the step as it is now, and whether this call changed it. */
  public record Decided(Registration registration, boolean changed) {}

  /**
   * Applies a carrier's (or the sandbox reviewer's) decision: pending → approved | rejected, a campaign approved →
   * suspended (and suspended → approved when reinstated). The same decision again changes nothing (idempotent); any
   * other move is 409 {@code invalid_transition}. A change queues the decision email and, for a campaign, updates the
   * workspace's platform numbers, in the same transaction.
   */
  public Future<Decided> decide(RegistrationKind kind, String id, String decision, String reason, Integer brandScore,
                                Optional<String> twilioSid, Instant now) {
    return pg.withTransaction(tx -> find(tx, kind, id, true).compose(found -> {
      Registration step = found.orElseThrow(() -> DomainFailure.notFound(kind.title() + " '" + id + "'"));
      if (step.status().equals(decision)) {
        return Future.succeededFuture(new Decided(step, false));
      }
      boolean allowed = switch (decision) {
        case "approved" -> step.status().equals("pending") || (kind == RegistrationKind.CAMPAIGN && step.status().equals("suspended"));
        case "rejected" -> step.status().equals("pending");
        case "suspended" -> kind == RegistrationKind.CAMPAIGN && step.status().equals("approved");
        default -> false;
      };
      if (!allowed) {
        return Future.failedFuture(DomainFailure.conflict("invalid_transition",
            kind.title() + " " + id + " is " + step.status() + " and cannot become " + decision + "."));
      }
      String scoreUpdate = kind == RegistrationKind.BRAND && brandScore != null ? ", brand_score = " + brandScore.intValue() : "";
      String sql = "UPDATE " + kind.table() + " SET status = $2, rejection_reason = $3, decided_at = $4, updated_at = $4, next_poll_at = NULL"
          + scoreUpdate + " WHERE id = $1";
      return tx.preparedQuery(sql).execute(Tuple.of(id, decision, "approved".equals(decision) ? null : reason, utc(now)))
          .compose(updated -> kind == RegistrationKind.CAMPAIGN
              ? SmsNumberStore.refreshWorkspaceStatus(tx, step.workspaceId()).mapEmpty()
              : Future.succeededFuture())
          .compose(refreshed -> tx.preparedQuery(CONTACT).execute(Tuple.of(kind.wireName(), id)))
          .compose(contact -> {
            Row row = contact.iterator().next();
            return emails.enqueue(tx, kind, step, decision, reason, row.getString("contact_email"), row.getString("legal_name"));
          })
          .compose(queued -> find(tx, kind, id, false))
          .map(now1 -> new Decided(now1.orElseThrow(), true));
    }));
  }

  private static Future<Void> fee(SqlClient client, String workspaceId, RegistrationKind kind, String resourceId, String description,
                                  int amountCents, Instant now) {
    return client.preparedQuery(INSERT_FEE).execute(Tuple.of(workspaceId, kind.wireName(), resourceId, description, amountCents, utc(now)))
        .mapEmpty();
  }

  /** The workspace's fees ledger, oldest first. */
  public Future<List<JsonObject>> fees(String workspaceId) {
    return pg.preparedQuery(FEES).execute(Tuple.of(workspaceId)).map(rows -> StreamSupport.stream(rows.spliterator(), false)
        .map(row -> new JsonObject()
            .put("id", Long.toString(row.getLong("id")))
            .put("kind", row.getString("kind"))
            .put("resource_id", row.getString("resource_id"))
            .put("description", row.getString("description"))
            .put("amount_cents", row.getInteger("amount_cents"))
            .put("created_at", row.getOffsetDateTime("created_at").toInstant().toString()))
        .toList());
  }

  /** How many steps of each kind have been pending since before {@code submittedBefore}. */
  public Future<Map<RegistrationKind, Long>> staleCounts(Instant submittedBefore) {
    String sql = "SELECT 'business_profile' AS kind, count(*) AS n FROM business_profiles WHERE status = 'pending' AND submitted_at < $1 "
        + "UNION ALL SELECT 'brand', count(*) FROM brands WHERE status = 'pending' AND submitted_at < $1 "
        + "UNION ALL SELECT 'campaign', count(*) FROM campaigns WHERE status = 'pending' AND submitted_at < $1";
    return pg.preparedQuery(sql).execute(Tuple.of(utc(submittedBefore))).map(rows -> {
      Map<RegistrationKind, Long> counts = new EnumMap<>(RegistrationKind.class);
      rows.forEach(row -> counts.put(RegistrationKind.fromWire(row.getString("kind")).orElseThrow(), row.getLong("n")));
      return counts;
    });
  }

  Pool pool() {
    return pg;
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Optional<Registration> first(RegistrationKind kind, RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(toRegistration(kind, it.next())) : Optional.empty();
  }

  private static List<Registration> all(RegistrationKind kind, RowSet<Row> rows) {
    return StreamSupport.stream(rows.spliterator(), false).map(row -> toRegistration(kind, row)).toList();
  }

  static Registration toRegistration(RegistrationKind kind, Row row) {
    JsonObject fields = switch (kind) {
      case BUSINESS_PROFILE -> new JsonObject()
          .put("legal_name", row.getString("legal_name"))
          .put("ein", row.getString("ein"))
          .put("address", new JsonObject()
              .put("street", row.getString("street"))
              .put("city", row.getString("city"))
              .put("region", row.getString("region"))
              .put("postal_code", row.getString("postal_code"))
              .put("country", row.getString("country")))
          .put("website", row.getString("website"))
          .put("contact_email", row.getString("contact_email"))
          .put("contact_phone", row.getString("contact_phone"))
          .put("brand_id", row.getString("brand_id"));
      case BRAND -> new JsonObject()
          .put("business_profile_id", row.getString("business_profile_id"))
          .put("type", row.getString("type"))
          .put("brand_score", row.getInteger("brand_score"));
      case CAMPAIGN -> new JsonObject()
          .put("brand_id", row.getString("brand_id"))
          .put("use_case", row.getString("use_case"))
          .put("description", row.getString("description"))
          .put("sample_messages", jsonArray(row.getValue("sample_messages")))
          .put("message_flow", row.getString("message_flow"))
          .put("opt_in_keywords", jsonArray(row.getValue("opt_in_keywords")))
          .put("opt_out_message", row.getString("opt_out_message"))
          .put("help_message", row.getString("help_message"))
          .put("has_embedded_links", row.getBoolean("has_embedded_links"))
          .put("has_embedded_phone", row.getBoolean("has_embedded_phone"));
    };
    return new Registration(kind, row.getString("id"), row.getString("workspace_id"), row.getString("status"),
        row.getString("rejection_reason"), fields, row.getString("twilio_sid"),
        row.getOffsetDateTime("submitted_at").toInstant(),
        row.getOffsetDateTime("decided_at") == null ? null : row.getOffsetDateTime("decided_at").toInstant(),
        row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant());
  }

  private static JsonArray jsonArray(Object value) {
    return value instanceof JsonArray array ? array : null;
  }
}
