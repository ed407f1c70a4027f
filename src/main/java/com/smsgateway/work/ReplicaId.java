package com.smsgateway.work;

import io.vertx.core.Vertx;
import java.util.Objects;
import java.util.UUID;

/**
 * This replica's name on the leases it takes: the pod name ({@code HOSTNAME}) and a short random part, so a pod that
 * restarts under the same name never mistakes its predecessor's leases for its own. One per process (one Vert.x
 * instance per process in production; tests that run two replicas in one JVM get one each), shared by every worker.
 */
public final class ReplicaId {
  private static final String SHARED_MAP = "gateway.replica";

  private ReplicaId() {}

  public static String of(Vertx vertx) {
    return vertx.sharedData().<String, String>getLocalMap(SHARED_MAP).computeIfAbsent("id", key -> generate());
  }

  private static String generate() {
    return Objects.requireNonNullElse(System.getenv("HOSTNAME"), "replica") + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
