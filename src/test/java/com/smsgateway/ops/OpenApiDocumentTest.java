package com.smsgateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.Http;
import com.smsgateway.testing.TestGateway;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.tags.Tag;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The served {@code /openapi.yaml} is what clients generate code from: it must parse without a single message, name
 * every operation, document every route the router serves, and describe the errors every operation can answer.
 */
class OpenApiDocumentTest {
  private static Gateway gateway;
  private static String document;
  private static OpenAPI api;
  private static List<String> parserMessages;

  @BeforeAll
  static void fetchDocument() {
    // Sandbox mode serves the most routes (the Twilio stand-ins too).
    gateway = Await.result(TestGateway.forClass(OpenApiDocumentTest.class).with("GATEWAY_TWILIO_MODE", "sandbox").start());
    try (Http http = new Http(gateway.port())) {
      var response = http.get("/openapi.yaml", null);
      assertThat(response.statusCode()).isEqualTo(200);
      document = response.bodyAsString();
    }
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(document, null, options);
    api = result.getOpenAPI();
    parserMessages = result.getMessages() == null ? List.of() : result.getMessages();
  }

  @AfterAll
  static void stop() {
    Await.result(gateway.stop());
  }

  @Test
  void theDocumentParsesWithoutAnyMessage() {
    assertThat(parserMessages).isEmpty();
    assertThat(api).isNotNull();
    assertThat(api.getOpenapi()).startsWith("3.");
  }

  @Test
  void everyServedRouteIsAnOperationWithAnOperationId() {
    Map<String, Operation> operations = operations();
    List<String> served = gateway.routeSignatures().stream()
        .map(signature -> signature.replaceAll(":([A-Za-z_]+)", "{$1}"))
        .toList();

    assertThat(operations.keySet()).containsAll(served);
    assertThat(served).allSatisfy(route -> assertThat(operations.get(route).getOperationId()).as(route).isNotBlank());
  }

  @Test
  void operationIdsAreUniqueAndPresentOnEveryOperation() {
    Map<String, List<String>> byId = new HashMap<>();
    operations().forEach((route, operation) -> byId.computeIfAbsent(String.valueOf(operation.getOperationId()), id -> new ArrayList<>()).add(route));

    assertThat(byId).doesNotContainKey("null");
    assertThat(byId.values()).allSatisfy(routes -> assertThat(routes).as("routes sharing one operationId").hasSize(1));
  }

  /** Every operation behind the API key answers 401 without one; every JSON body can be malformed (400) or not JSON (415). */
  @Test
  void everyOperationDescribesTheClientErrorsItCanAnswer() {
    List<String> missing = new ArrayList<>();
    operations().forEach((route, operation) -> {
      List<String> expected = new ArrayList<>();
      if (usesApiKey(operation)) {
        expected.add("401");
      }
      if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null
          && operation.getRequestBody().getContent().containsKey("application/json")) {
        expected.add("400");
        expected.add("415");
      }
      expected.stream()
          .filter(status -> operation.getResponses() == null || !operation.getResponses().containsKey(status))
          .forEach(status -> missing.add(route + " " + status));
    });

    assertThat(missing).as("operations without these responses").isEmpty();
  }

  /** What linters (Spectral, Redocly) ask of every operation: a summary, tags defined at the top, a success answer. */
  @Test
  void everyOperationHasASummaryDefinedTagsAndASuccessResponse() {
    Set<String> definedTags = api.getTags() == null ? Set.of()
        : api.getTags().stream().filter(tag -> tag.getDescription() != null).map(Tag::getName).collect(Collectors.toSet());
    List<String> problems = new ArrayList<>();
    operations().forEach((route, operation) -> {
      if (operation.getSummary() == null || operation.getSummary().isBlank()) {
        problems.add(route + ": no summary");
      }
      if (operation.getTags() == null || operation.getTags().isEmpty() || !definedTags.containsAll(operation.getTags())) {
        problems.add(route + ": tags " + operation.getTags() + " not all defined (with a description) in " + definedTags);
      }
      if (operation.getResponses() == null || operation.getResponses().keySet().stream().noneMatch(status -> status.matches("[23]\\d\\d"))) {
        problems.add(route + ": no success response");
      }
    });

    assertThat(problems).isEmpty();
  }

  private static boolean usesApiKey(Operation operation) {
    List<SecurityRequirement> security = operation.getSecurity() != null ? operation.getSecurity() : api.getSecurity();
    return security != null && security.stream().anyMatch(requirement -> requirement.containsKey("apiKey"));
  }

  private static Map<String, Operation> operations() {
    Map<String, Operation> operations = new HashMap<>();
    api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
        operations.put(method.name().toUpperCase(Locale.ROOT) + " " + path, operation)));
    return operations;
  }

}
