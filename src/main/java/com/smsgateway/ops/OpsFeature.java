package com.smsgateway.ops;

import com.smsgateway.feature.Feature;
import com.smsgateway.feature.Services;
import com.smsgateway.http.Routes;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Deployable;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/**
 * Operations, assembled: liveness, readiness and the OpenAPI document on the public port, {@code /metrics} on the
 * management port ({@link ManagementServer}, a worker), and the {@code gateway.info} gauge.
 */
public final class OpsFeature implements Feature {
  private final Routes routes;
  private final ManagementServer management;

  private OpsFeature(Routes routes, ManagementServer management) {
    this.routes = routes;
    this.management = management;
  }

  /** Reads {@code openapi.yaml} from the classpath: a blocking read, so call it off the event loops. */
  public static OpsFeature create(Services services, Readiness readiness) {
    Gauge.builder("gateway.info", () -> 1).description("Constant 1; labels describe this replica")
        .tag("version", Objects.requireNonNullElse(OpsFeature.class.getPackage().getImplementationVersion(), "dev"))
        .tag("twilio_mode", services.twilioConfig().mode().name().toLowerCase())
        .register(services.registry());
    return new OpsFeature(new OpsRoutes(readiness.checks(), classpathResource("openapi.yaml")),
        new ManagementServer(services.config().management(), services.registry()));
  }

  @Override
  public String name() {
    return "ops";
  }

  @Override
  public List<Routes> routes() {
    return List.of(routes);
  }

  @Override
  public List<Deployable> workers() {
    return List.of(management);
  }

  /** The management server, deployed with the workers: its {@code actualPort()} once started. */
  public ManagementServer management() {
    return management;
  }

  private static Buffer classpathResource(String name) {
    try (InputStream in = OpsFeature.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + name, e);
    }
  }
}
