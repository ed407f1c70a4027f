package com.smsgateway.registration;

import com.smsgateway.feature.Feature;
import com.smsgateway.feature.Services;
import com.smsgateway.http.Routes;
import com.smsgateway.work.LeasedWorker;
import io.vertx.core.Deployable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
    RegistrationService service = new RegistrationService(store, metrics, config, clock, () -> {
      LeasedWorker.wake(services.vertx(), DecisionEmailJob.NAME);
      LeasedWorker.wake(services.vertx(), LiveRegistrationJob.NAME);
    });
    List<Deployable> workers = new ArrayList<>();
    workers.add(new StaleRegistrationsGauge(service, config.gaugeRefresh()));
    if (!services.twilioConfig().sandbox()) {
      workers.add(new LiveRegistrationJob(new LiveRegistrations(services.pg()), store, service, services.twilioApi(),
          services.twilioAccounts().platform(), config.poll(), services.config().publicBaseUrl(), services.registry()));
    }
    if (config.smtp().isPresent()) {
      workers.add(new DecisionEmailJob(emails, DecisionEmailJob.mailClient(services.vertx(), config.smtp().get()),
          config.smtp().get().from(), config.email(), metrics, services.registry()));
    } else {
      log.warn("No smtp.host (GATEWAY_SMTP_HOST): registration decision emails are queued, not sent, until a replica has one");
    }
    return new RegistrationFeature(new RegistrationRoutes(service, services.twilioConfig().sandbox()), workers);
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
