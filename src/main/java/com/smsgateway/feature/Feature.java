package com.smsgateway.feature;

import com.smsgateway.http.Routes;
import com.smsgateway.inbound.InboundHandler;
import io.vertx.core.Deployable;
import java.util.List;

/**
 * One feature of the gateway, assembled by its own package from the {@link Services} (a static {@code create}):
 * what it serves, what runs beside HTTP, and which inbound texts it takes. {@code Gateway} holds an explicit,
 * ordered list of features and does the same with each: mounts its routes in list order, deploys its workers
 * before the HTTP verticles (undeploying them after the HTTP drain, in reverse order), and offers each stored
 * inbound text to the inbound handlers of all features in list order. A feature builds its meters once, when
 * it is assembled.
 */
public interface Feature {
  /** "inbound", "calls", "numbers", …: names the feature in logs. */
  String name();

  /** Its HTTP routes, mounted in feature order after the shared edge (body limits, auth, idempotency). */
  default List<Routes> routes() {
    return List.of();
  }

  /** Its background verticles (one deployment per replica each): deployed before HTTP, undeployed after the drain. */
  default List<Deployable> workers() {
    return List.of();
  }

  /** Its handlers of stored inbound texts, offered each text in feature order until one takes it. */
  default List<InboundHandler> inboundHandlers() {
    return List.of();
  }
}
