package com.smsgateway.registration;

import com.smsgateway.auth.Principal;
import com.smsgateway.domain.DomainFailure;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * A2P 10DLC registration (DESIGN.md §8): business profile → brand → campaigns, each pending until a decision, with
 * fees, decision emails and the workspace's numbers following its campaigns. Decisions come from the sandbox's
 * review route or, in live mode, from Twilio through the status poller; both go through {@link #decide}.
 */
public final class RegistrationService {
  private final RegistrationStore store;
  private final RegistrationMetrics metrics;
  private final RegistrationConfig config;
  private final Clock clock;
  private final Runnable workQueued;

  /** {@code workQueued} is told of every submission and decision (it wakes the Twilio and email workers). */
  RegistrationService(RegistrationStore store, RegistrationMetrics metrics, RegistrationConfig config, Clock clock, Runnable workQueued) {
    this.store = store;
    this.metrics = metrics;
    this.config = config;
    this.clock = clock;
    this.workQueued = workQueued;
  }

  public Clock clock() {
    return clock;
  }

  public RegistrationConfig config() {
    return config;
  }

  public Future<Registration> createProfile(String workspaceId, RegistrationStore.ProfileFields fields) {
    return store.createProfile(workspaceId, fields, clock.instant())
        .onSuccess(profile -> submittedStep(RegistrationKind.BUSINESS_PROFILE, config.fees().businessProfile()));
  }

  public Future<Registration> submitBrand(Principal principal, String profileId, String type) {
    return visible(principal, RegistrationKind.BUSINESS_PROFILE, profileId)
        .compose(profile -> store.submitBrand(profileId, type, clock.instant()))
        .onSuccess(brand -> submittedStep(RegistrationKind.BRAND,
            "standard".equals(type) ? config.fees().brandStandard() : config.fees().brandLowVolume()));
  }

  public Future<Registration> submitCampaign(Principal principal, String brandId, RegistrationStore.CampaignFields fields) {
    return visible(principal, RegistrationKind.BRAND, brandId)
        .compose(brand -> store.submitCampaign(brandId, fields, clock.instant()))
        .onSuccess(campaign -> submittedStep(RegistrationKind.CAMPAIGN, config.fees().campaign()));
  }

  public Future<Registration> resubmit(Principal principal, RegistrationKind kind, String id, Optional<RegistrationStore.ProfileFields> profile,
                                       Optional<RegistrationStore.CampaignFields> campaign, Optional<String> brandType) {
    return visible(principal, kind, id)
        .compose(step -> store.resubmit(kind, id, profile, campaign, brandType, clock.instant()))
        .onSuccess(step -> submittedStep(kind, switch (kind) {
          case BUSINESS_PROFILE -> config.fees().businessProfile();
          case BRAND -> "standard".equals(step.fields().getString("type")) ? config.fees().brandStandard() : config.fees().brandLowVolume();
          case CAMPAIGN -> config.fees().campaign();
        }));
  }

  private void submittedStep(RegistrationKind kind, int feeCents) {
    metrics.entered(kind, "pending");
    metrics.fee(kind, feeCents);
    workQueued.run();
  }

  /** A decision (sandbox review or Twilio's status); repeating one changes nothing. */
  public Future<RegistrationStore.Decided> decide(RegistrationKind kind, String id, String decision, String reason, Integer brandScore) {
    return store.decide(kind, id, decision, reason, brandScore, Optional.empty(), clock.instant())
        .onSuccess(decided -> {
          if (decided.changed()) {
            metrics.entered(kind, decision);
            workQueued.run();
          }
        });
  }

  /** The step if the caller may see it; 404 otherwise (also another workspace's). */
  public Future<Registration> visible(Principal principal, RegistrationKind kind, String id) {
    String what = kind.title() + " '" + id + "'";
    return store.find(kind, id).map(found -> {
      Registration step = found.orElseThrow(() -> DomainFailure.notFound(what));
      if (!principal.canAccess(step.workspaceId())) {
        throw DomainFailure.notFound(what);
      }
      return step;
    });
  }

  public Future<List<Registration>> profiles(Optional<String> workspaceId) {
    return store.profiles(workspaceId);
  }

  public Future<List<Registration>> campaigns(Principal principal, String brandId) {
    return visible(principal, RegistrationKind.BRAND, brandId).compose(brand -> store.campaignsOfBrand(brandId));
  }

  public Future<List<io.vertx.core.json.JsonObject>> fees(String workspaceId) {
    return store.fees(workspaceId);
  }

  /** Counts the steps pending longer than {@code registration.stale_after} into the gauge. */
  public Future<Void> countStale() {
    return store.staleCounts(clock.instant().minus(config.staleAfter())).map(counts -> {
      metrics.stale(counts);
      return null;
    });
  }
}
