package com.smsgateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class OpenApiDocumentTest {

  @Test
  @SuppressWarnings("unchecked")
  void everyServedRouteIsDocumentedInTheServedOpenApiDocument() {
    Gateway gateway = Await.result(TestGateway.forClass(OpenApiDocumentTest.class).start());
    try (Http http = new Http(gateway.port())) {
      var response = http.get("/openapi.yaml", null);
      Map<String, Object> document = new Yaml().load(response.bodyAsString());
      Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");
      List<String> documented = new ArrayList<>();
      paths.forEach((path, operations) -> operations.keySet().forEach(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path)));

      List<String> served = gateway.routeSignatures().stream()
          .map(signature -> signature.replaceAll(":([A-Za-z_]+)", "{$1}"))
          .toList();

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(document.get("openapi").toString()).startsWith("3.");
      assertThat(documented).containsAll(served);
    } finally {
      Await.result(gateway.stop());
    }
  }
}
