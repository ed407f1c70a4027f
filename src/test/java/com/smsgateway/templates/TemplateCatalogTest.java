package com.smsgateway.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.smsgateway.config.ConfigException;
import com.smsgateway.domain.DomainFailure;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class TemplateCatalogTest {
  private static final TemplateCatalog catalog = TemplateCatalog.parse("""
      templates:
        - id: appointment
          text: "Your appointment with {{business}} is on {{date}} at {{time}}. {{business}} will text you."
          variables: {business: text, date: text, time: text}
        - id: link
          text: "Pay here: {{url}}"
          variables: {url: url}
        - id: plain
          text: "Thanks for calling."
      """, 20);

  @Test
  void variablesAreThoseOfTheTextInOrderOnce() {
    assertThat(catalog.templates()).extracting(SmsTemplate::id).containsExactly("appointment", "link", "plain");
    assertThat(catalog.templates().get(0).variables()).containsExactly("business", "date", "time");
    assertThat(catalog.templates().get(2).variables()).isEmpty();
    assertThat(catalog.templates().get(1).toJson().getJsonObject("variable_types")).isEqualTo(new JsonObject().put("url", "url"));
  }

  @Test
  void renderingFillsEveryPlaceholderOnceAndLiterally() {
    String text = catalog.render("appointment", new JsonObject().put("business", "Acme {{date}}").put("date", "May 2").put("time", 10));

    assertThat(text).isEqualTo("Your appointment with Acme {{date}} is on May 2 at 10. Acme {{date}} will text you.");
  }

  @Test
  void anUnknownTemplateIs422UnknownTemplate() {
    assertThatThrownBy(() -> catalog.render("nope", new JsonObject()))
        .isInstanceOfSatisfying(DomainFailure.class, e -> {
          assertThat(e.kind()).isEqualTo(DomainFailure.Kind.INVALID);
          assertThat(e.code()).isEqualTo("unknown_template");
        });
  }

  @Test
  void aMissingVariableIs422NamingIt() {
    assertThatThrownBy(() -> catalog.render("appointment", new JsonObject().put("business", "Acme").put("date", "May 2")))
        .isInstanceOfSatisfying(DomainFailure.class, e -> {
          assertThat(e.kind()).isEqualTo(DomainFailure.Kind.INVALID);
          assertThat(e.code()).isEqualTo("missing_template_variable");
          assertThat(e.details().getString("variable")).isEqualTo("time");
        });
  }

  @Test
  void anExtraVariableIs422NamingIt() {
    assertThatThrownBy(() -> catalog.render("plain", new JsonObject().put("link", "https://x.example")))
        .isInstanceOfSatisfying(DomainFailure.class, e -> {
          assertThat(e.code()).isEqualTo("unexpected_template_variable");
          assertThat(e.getMessage()).contains("'link'");
        });
  }

  @Test
  void aValueMustBeShortPlainText() {
    assertRefused("appointment", "date", "x".repeat(21), "1-20 characters");
    assertRefused("appointment", "business", new JsonObject(), "string or a number");
  }

  @Test
  void aTextVariableRefusesLinksHostNamesAndControlCharacters() {
    for (String value : List.of("https://evil.example/x", "go to evil.example now", "www.evil", "EVIL.COM", "a\nb", "a\u0007b",
        "Acme\u202Egnp.exe", "hxxp://x", "mailto:/x")) {
      assertRefused("appointment", "business", value, "variables.business");
    }
  }

  @Test
  void aTextVariableTakesOrdinaryWords() {
    for (String value : List.of("Acme Inc.", "Dr. Smith & Sons", "3.5 hours", "May 2, 2026", "Café Zoë")) {
      assertThat(catalog.render("appointment", new JsonObject().put("business", value).put("date", "May 2").put("time", "10")))
          .contains(value);
    }
  }

  @Test
  void aUrlVariableMustBeAnAbsoluteHttpsUrl() {
    for (String value : List.of("http://pay.example/x", "pay.example/x", "https://", "https:///x", "https://user@pay.example/x",
        "https://pay.example/a b", "javascript:alert(1)", "https://pay.example/\nx")) {
      assertRefused("link", "url", value, "variables.url");
    }
    assertThat(catalog.render("link", new JsonObject().put("url", "https://p.co/x?i=1"))).isEqualTo("Pay here: https://p.co/x?i=1");
  }

  private static void assertRefused(String template, String variable, Object value, String messagePart) {
    JsonObject variables = new JsonObject();
    catalog.templates().stream().filter(t -> t.id().equals(template)).findFirst().orElseThrow().variables()
        .forEach(name -> variables.put(name, "ok"));
    variables.put(variable, value);
    assertThatThrownBy(() -> catalog.render(template, variables))
        .as("%s = %s", variable, value)
        .isInstanceOfSatisfying(DomainFailure.class, e -> {
          assertThat(e.kind()).isEqualTo(DomainFailure.Kind.INVALID);
          assertThat(e.field()).isEqualTo("variables." + variable);
          assertThat(e.getMessage()).contains(messagePart);
        });
  }

  @Test
  void aBadFileStopsStartUpNamingTheTemplate() {
    assertThatThrownBy(() -> TemplateCatalog.parse("templates:\n  - id: broken\n    text: \"Hi {{name\"\n", 20))
        .isInstanceOf(ConfigException.class).hasMessageContaining("templates.file").hasMessageContaining("'broken'");
    assertThatThrownBy(() -> TemplateCatalog.parse("templates:\n  - {id: twice, text: a}\n  - {id: twice, text: b}\n", 20))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'twice' is defined twice");
    assertThatThrownBy(() -> TemplateCatalog.parse("templates:\n  - {id: extra, text: a, variables: [x]}\n", 20))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'extra'");
    assertThatThrownBy(() -> TemplateCatalog.parse("templates:\n  - {id: Bad-Id, text: a}\n", 20))
        .isInstanceOf(ConfigException.class).hasMessageContaining("#1");
    assertThatThrownBy(() -> TemplateCatalog.parse("templates:\n  - {id: untyped, text: \"{{a}}\"}\n", 20))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'untyped'");
    assertThatThrownBy(() -> TemplateCatalog.parse("templates:\n  - {id: badtype, text: \"{{a}}\", variables: {a: html}}\n", 20))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'badtype'").hasMessageContaining("html");
    assertThatThrownBy(() -> TemplateCatalog.parse("templates:\n  - {id: unused, text: \"{{a}}\", variables: {a: text, b: url}}\n", 20))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'b'");
    assertThatThrownBy(() -> TemplateCatalog.parse("nothing: here\n", 20))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'templates' list");
  }

  @Test
  void theShippedTemplatesLoadAndTheConfigMapCarriesThemVerbatim() throws IOException {
    TemplateCatalog shipped = TemplateCatalog.load(Path.of("conf/templates.yaml"), 200);
    @SuppressWarnings("unchecked")
    Map<String, Object> configMap = (Map<String, Object>) new Yaml().loadAll(Files.readString(Path.of("k8s/configmap.yaml")))
        .iterator().next();
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) configMap.get("data");

    assertThat(shipped.templates()).extracting(SmsTemplate::id)
        .contains("payment_link", "appointment_confirmation", "reference_number_request");
    assertThat(data.get("templates.yaml"))
        .as("k8s/configmap.yaml is out of date: run k8s/render-configmap.sh")
        .isEqualTo(Files.readString(Path.of("conf/templates.yaml")));
  }
}
