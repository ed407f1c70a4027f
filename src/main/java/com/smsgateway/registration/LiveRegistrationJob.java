package com.smsgateway.registration;

import com.smsgateway.twilio.TwilioAccount;
import com.smsgateway.twilio.TwilioApi;
import com.smsgateway.work.JobContext;
import com.smsgateway.work.JobOutcome;
import com.smsgateway.work.LeasedWorker;
import com.smsgateway.work.WorkerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import com.smsgateway.numbers.NumberService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live mode: takes each pending registration step to Twilio and brings Twilio's decision back. A step not yet at
 * Twilio is submitted (profile: a TrustHub secondary customer profile; brand: an A2P trust product and a
 * BrandRegistration; campaign: the workspace's Messaging Service with its numbers, then a Usa2p campaign); a submitted
 * one has its status fetched and, once decided, goes through {@link RegistrationService#decide} (idempotent, with its
 * email and numbers). It runs on the leased-work engine: each step is claimed with a lease, so one replica visits it at
 * a time; a visit that fails is retried at the next poll.
 */
final class LiveRegistrationJob extends LeasedWorker<LiveRegistrationJob.Step> {
  static final String NAME = "live_registration";

  /** One claimed registration step. */
  record Step(RegistrationKind kind, String id) {}

  private static final Logger log = LoggerFactory.getLogger(LiveRegistrationJob.class);
  /** Twilio's TrustHub policy of a secondary customer profile (ISV customers). */
  static final String CUSTOMER_PROFILE_POLICY = "RNdfbf3fae0e1107f8aded0e7cead80bf5";
  /** Twilio's TrustHub policy of an A2P messaging trust product. */
  static final String A2P_TRUST_PRODUCT_POLICY = "RNb0d4771c2c98518d916a3d4cd70a8f8b";

  private final LiveRegistrations live;
  private final RegistrationStore store;
  private final RegistrationService service;
  private final TwilioApi twilio;
  private final TwilioAccount platform;
  private final RegistrationConfig.Work config;
  private final String inboundUrl;
  private final String statusCallbackUrl;

  LiveRegistrationJob(LiveRegistrations live, RegistrationStore store, RegistrationService service, TwilioApi twilio, TwilioAccount platform,
                      RegistrationConfig.Work config, String publicBaseUrl, MeterRegistry registry) {
    super(WorkerSettings.of(NAME, config.interval(), true, config.batchSize(), config.lease(), "registration.poll_lease",
        config.lease().dividedBy(2), "registration.poll_lease"), registry, Clock.systemUTC());
    this.live = live;
    this.store = store;
    this.service = service;
    this.twilio = twilio;
    this.platform = platform;
    this.config = config;
    this.inboundUrl = publicBaseUrl + "/twilio/messages";
    this.statusCallbackUrl = publicBaseUrl + "/twilio/status";
  }

  /** Also adds a number bought later to its workspace's Messaging Service, when the workspace has one. */
  @Override
  public Future<?> start() {
    vertx.eventBus().<JsonObject>localConsumer(NumberService.BOUGHT_ADDRESS, bought -> {
      String workspaceId = bought.body().getString("workspace_id");
      String numberSid = bought.body().getString("twilio_sid");
      live.messagingService(workspaceId)
          .compose(service -> service.isEmpty() || numberSid == null
              ? Future.succeededFuture()
              : twilio.addNumberToService(platform, service.get(), numberSid))
          .onFailure(e -> log.warn("Adding {} to the Messaging Service of workspace {} failed (add it in the Twilio console): {}",
              bought.body().getString("phone_number"), workspaceId, e.toString()));
    });
    return super.start();
  }

  /** Due pending steps of every kind, up to {@code limit} of each, leased to {@code owner}. */
  @Override
  protected Future<List<Step>> claim(String owner, int limit) {
    List<Future<List<Step>>> claims = new ArrayList<>();
    for (RegistrationKind kind : RegistrationKind.values()) {
      claims.add(live.claimDue(kind, owner, config.lease(), limit).map(ids -> ids.stream().map(id -> new Step(kind, id)).toList()));
    }
    return Future.all(claims).map(done -> claims.stream().flatMap(claimed -> claimed.result().stream()).toList());
  }

  @Override
  protected boolean drainAgainAfter(int claimed) {
    return false;
  }

  /** Submits the step to Twilio or asks Twilio about it; a failure is retried at the next poll. */
  @Override
  protected Future<JobOutcome> process(Step claimed, JobContext context) {
    String owner = context.owner();
    return store.find(claimed.kind(), claimed.id()).compose(found -> {
      if (found.isEmpty() || !"pending".equals(found.get().status())) {
        return Future.succeededFuture(JobOutcome.DONE);
      }
      Registration step = found.get();
      return (step.twilioSid() == null ? submit(step, owner) : poll(step, owner))
          .map(JobOutcome.DONE)
          .recover(failure -> {
            log.warn("Live registration of {} {} failed, retried at the next poll: {}", claimed.kind().wireName(), claimed.id(), failure.toString());
            return live.record(claimed.kind(), claimed.id(), owner, Optional.empty(), null, config.interval()).map(JobOutcome.RETRY);
          });
    });
  }

  private Future<Void> submit(Registration step, String owner) {
    return switch (step.kind()) {
      case BUSINESS_PROFILE -> twilio.submitTrustBundle(platform, true, step.fields().getString("legal_name"),
              step.fields().getString("contact_email"), CUSTOMER_PROFILE_POLICY)
          .compose(sid -> recorded(step, owner, "twilio_customer_profile_sid", sid));
      case BRAND -> live.profileOfBrand(step.id()).compose(profile -> trustProduct(profile)
          .compose(trustProduct -> twilio.createBrandRegistration(platform, profile.customerProfileSid(), trustProduct,
              "low_volume".equals(step.fields().getString("type")))))
          .compose(sid -> recorded(step, owner, "twilio_brand_sid", sid));
      case CAMPAIGN -> live.brandSid(step.fields().getString("brand_id"))
          .compose(brandSid -> messagingService(step.workspaceId())
              .compose(serviceSid -> twilio.createUsa2pCampaign(platform, serviceSid, campaign(step, brandSid))))
          .compose(sid -> recorded(step, owner, "twilio_campaign_sid", sid));
    };
  }

  private Future<String> trustProduct(LiveRegistrations.ProfileOfBrand profile) {
    if (profile.trustProductSid() != null) {
      return Future.succeededFuture(profile.trustProductSid());
    }
    return twilio.submitTrustBundle(platform, false, profile.legalName() + " A2P", profile.email(), A2P_TRUST_PRODUCT_POLICY)
        .compose(sid -> live.recordTrustProduct(profile.profileId(), sid).map(sid));
  }

  /** The workspace's Messaging Service, made once, with the workspace's platform numbers in it. */
  private Future<String> messagingService(String workspaceId) {
    return live.messagingService(workspaceId).compose(existing -> existing
        .map(Future::succeededFuture)
        .orElseGet(() -> twilio.createMessagingService(platform, "sms-gateway " + workspaceId, inboundUrl, statusCallbackUrl)
            .compose(created -> live.recordMessagingService(workspaceId, created))))
        .compose(serviceSid -> live.platformNumberSids(workspaceId)
            .compose(numbers -> Future.join(numbers.stream().map(number -> twilio.addNumberToService(platform, serviceSid, number)
                // Already in the service (a number is added on every campaign submission): nothing to do.
                .recover(alreadyAdded -> Future.succeededFuture())).toList()))
            .map(added -> serviceSid));
  }

  private static TwilioApi.CampaignRequest campaign(Registration step, String brandSid) {
    var fields = step.fields();
    return new TwilioApi.CampaignRequest(brandSid, fields.getString("description"), fields.getString("message_flow"),
        strings(fields.getJsonArray("sample_messages")), fields.getString("use_case"), fields.getBoolean("has_embedded_links"),
        fields.getBoolean("has_embedded_phone"), strings(fields.getJsonArray("opt_in_keywords")),
        fields.getString("opt_out_message"), fields.getString("help_message"));
  }

  private static List<String> strings(JsonArray array) {
    List<String> values = new ArrayList<>();
    if (array != null) {
      array.forEach(value -> values.add((String) value));
    }
    return values;
  }

  private Future<Void> recorded(Registration step, String owner, String column, String sid) {
    return live.record(step.kind(), step.id(), owner, Optional.of(column), sid, config.interval()).mapEmpty();
  }

  /** Twilio's status of a submitted step; a decision is applied, anything else waits for the next poll. */
  private Future<Void> poll(Registration step, String owner) {
    Future<TwilioApi.Review> review = switch (step.kind()) {
      case BUSINESS_PROFILE -> twilio.trustBundle(platform, true, step.twilioSid());
      case BRAND -> twilio.brandRegistration(platform, step.twilioSid());
      case CAMPAIGN -> live.messagingService(step.workspaceId())
          .compose(service -> twilio.usa2pCampaign(platform, service.orElseThrow(), step.twilioSid()));
    };
    return review.compose(status -> {
      Optional<String> decision = decision(step.kind(), status.status());
      if (decision.isEmpty()) {
        return live.record(step.kind(), step.id(), owner, Optional.empty(), null, config.interval()).mapEmpty();
      }
      String reason = "rejected".equals(decision.get())
          ? Optional.ofNullable(status.failureReason()).orElse("Rejected at Twilio (" + status.status() + ")")
          : null;
      return service.decide(step.kind(), step.id(), decision.get(), reason, status.brandScore()).mapEmpty();
    });
  }

  static Optional<String> decision(RegistrationKind kind, String twilioStatus) {
    if (twilioStatus == null) {
      return Optional.empty();
    }
    String status = twilioStatus.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    return Optional.ofNullable(switch (status) {
      case "TWILIO_APPROVED", "APPROVED", "VERIFIED" -> "approved";
      case "TWILIO_REJECTED", "FAILED" -> "rejected";
      case "SUSPENDED" -> kind == RegistrationKind.CAMPAIGN ? "suspended" : null;
      default -> null;
    });
  }
}
