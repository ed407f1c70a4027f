package com.smsgateway.ops;

import com.smsgateway.feature.Feature;
import com.smsgateway.feature.Services;
import com.smsgateway.http.Routes;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/** Operations, assembled: liveness, readiness, {@code /metrics}, the OpenAPI document, and the {@code gateway.info} gauge. */
public final class OpsFeature implements Feature {
  private final Routes routes;

  private OpsFeature(Routes routes) {
    this.routes = routes;
  }

  /** Reads {@code openapi.yaml} from the classpath: a blocking read, so call it off the event loops. */
  public static OpsFeature create(Services services, Readiness readiness) {
    Gauge.builder("gateway.info", () -> 1).description("Constant 1; labels describe this replica")
        .tag("version", Objects.requireNonNullElse(OpsFeature.class.getPackage().getImplementationVersion(), "dev"))
        .tag("twilio_mode", services.twilioConfig().mode().name().toLowerCase())
        .register(services.registry());
    return new OpsFeature(new OpsRoutes(readiness.checks(), services.registry(), classpathResource("openapi.yaml")));
  }

  @Override
  public String name() {
    return "ops";
  }

  @Override
  public List<Routes> routes() {
    return List.of(routes);
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
