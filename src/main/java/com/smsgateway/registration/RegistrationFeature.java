package com.smsgateway.registration;

import com.smsgateway.feature.Feature;
import com.smsgateway.feature.Services;
import com.smsgateway.http.Routes;
import io.vertx.core.Deployable;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A2P 10DLC registration, assembled: the routes, the decision emails' outbox worker, the stale gauge and, in live
 * mode, the Twilio submission and status poller.
 */
public final class RegistrationFeature implements Feature {
  private static final Logger log = LoggerFactory.getLogger(RegistrationFeature.class);

  private final RegistrationRoutes routes;
  private final List<Deployable> workers;

  private RegistrationFeature(RegistrationRoutes routes, List<Deployable> workers) {
    this.routes = routes;
    this.workers = workers;
  }

  public static RegistrationFeature create(Services services) {
    return create(services, Clock.systemUTC());
  }

  /** {@code clock} decides staleness and the times of submissions and decisions. */
  public static RegistrationFeature create(Services services, Clock clock) {
    RegistrationConfig config = RegistrationConfig.from(services.config().source());
    RegistrationMetrics metrics = new RegistrationMetrics(services.registry());
    RegistrationEmails emails = new RegistrationEmails(services.pg());
    RegistrationStore store = new RegistrationStore(services.pg(), config.fees(), emails);
    RegistrationService service = new RegistrationService(store, metrics, config, clock, () -> { });
    List<Deployable> workers = new ArrayList<>();
    workers.add(new RegistrationWorker("stale_gauge", () -> service.countStale().map(counted -> 0), 1, config.gaugeRefresh()));
    String owner = replicaId();
    if (!services.twilioConfig().sandbox()) {
      LiveRegistrationJob live = new LiveRegistrationJob(new LiveRegistrations(services.pg()), store, service, services.twilioApi(),
          services.twilioAccounts().platform(), config.poll(), owner, services.config().publicBaseUrl());
      workers.add(new RegistrationWorker("live_registration", live::runOnce, config.poll().batchSize(), config.poll().interval()));
    }
    if (config.smtp().isPresent()) {
      DecisionEmailJob job = new DecisionEmailJob(emails, DecisionEmailJob.mailClient(services.vertx(), config.smtp().get()),
          config.smtp().get().from(), config.email(), metrics, owner);
      workers.add(new RegistrationWorker("decision_emails", job::runOnce, job.batchSize(), config.email().work().interval()));
    } else {
      log.warn("No smtp.host (GATEWAY_SMTP_HOST): registration decision emails are queued, not sent, until a replica has one");
    }
    return new RegistrationFeature(new RegistrationRoutes(service, services.twilioConfig().sandbox()), workers);
  }

  /** Names this replica in leases: the host's process plus a random part (a restarted process is another owner). */
  private static String replicaId() {
    return ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Override
  public String name() {
    return "registration";
  }

  @Override
  public List<Routes> routes() {
    return List.of(routes);
  }

  @Override
  public List<Deployable> workers() {
    return workers;
  }
}
