package com.smsgateway.testing;

import com.smsgateway.Gateway;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One gateway replica for a whole test class, with a client:
 * {@code @RegisterExtension static final RunningGateway gateway = new RunningGateway(TestGateway.forClass(X.class));}
 */
public final class RunningGateway implements BeforeAllCallback, AfterAllCallback {
  private final TestGateway setup;
  private Gateway gateway;
  private Http http;

  public RunningGateway(TestGateway setup) {
    this.setup = setup;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    gateway = Await.result(setup.start());
    http = new Http(gateway.port());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    http.close();
    Await.result(gateway.stop());
  }

  public Gateway gateway() {
    return gateway;
  }

  public Http http() {
    return http;
  }

  /** {@code GET /metrics} from the replica's management port (it is not served on the public one). */
  public String scrapeMetrics() {
    try (Http management = new Http(gateway.managementPort())) {
      var response = management.get("/metrics", null);
      if (response.statusCode() != 200) {
        throw new AssertionError("GET /metrics on the management port answered " + response.statusCode());
      }
      return response.bodyAsString();
    }
  }
}
