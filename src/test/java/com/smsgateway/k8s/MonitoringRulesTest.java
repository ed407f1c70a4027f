package com.smsgateway.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The Prometheus rules (k8s/monitoring): generated twin, runbook links, unit-test coverage, and promtool itself. */
@SuppressWarnings("unchecked")
class MonitoringRulesTest {
  static final Path MONITORING = Path.of("k8s/monitoring");
  static final Path ALERTS = MONITORING.resolve("alerts.yaml");

  @Test
  void prometheusRuleResourceHoldsExactlyTheRulesOfAlertsYaml() throws IOException {
    Map<String, Object> resource = load(MONITORING.resolve("prometheusrule.yaml"));

    assertThat(resource.get("kind")).isEqualTo("PrometheusRule");
    assertThat(resource.get("spec"))
        .as("k8s/monitoring/prometheusrule.yaml is out of date: run k8s/monitoring/render-prometheusrule.sh")
        .isEqualTo(load(ALERTS));
  }

  @Test
  void everyAlertHasASeverityASummaryAndARunbookSectionOfItsOwn() throws IOException {
    String runbook = Files.readString(Path.of("docs/runbook.md"));
    for (Map<String, Object> alert : alerts()) {
      String name = (String) alert.get("alert");
      Map<String, String> labels = (Map<String, String>) alert.get("labels");
      Map<String, String> annotations = (Map<String, String>) alert.get("annotations");

      assertThat(labels.get("severity")).as(name).isIn("page", "ticket");
      assertThat(annotations.get("summary")).as(name).isNotBlank();
      assertThat(annotations.get("runbook_url")).as(name).isEqualTo("docs/runbook.md#" + name.toLowerCase());
      assertThat(runbook).as("docs/runbook.md has a section for " + name).containsPattern("(?m)^## " + name + "$");
    }
  }

  @Test
  void everyAlertHasAUnitTestWhereItFiresAndOneWhereItStaysSilent() throws IOException {
    Set<String> fires = new HashSet<>();
    Set<String> silent = new HashSet<>();
    try (Stream<Path> files = Files.list(MONITORING.resolve("tests"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        for (Map<String, Object> test : (List<Map<String, Object>>) load(file).get("tests")) {
          for (Map<String, Object> check : (List<Map<String, Object>>) test.getOrDefault("alert_rule_test", List.of())) {
            List<?> expected = (List<?>) check.get("exp_alerts");
            (expected == null || expected.isEmpty() ? silent : fires).add((String) check.get("alertname"));
          }
        }
      }
    }
    Set<String> names = new HashSet<>(alerts().stream().map(a -> (String) a.get("alert")).toList());

    assertThat(fires).as("alerts with a test where they fire").containsAll(names);
    assertThat(silent).as("alerts with a test where they stay silent").containsAll(names);
  }

  @Test
  void promtoolChecksTheRulesAndTheirUnitTestsPass() throws Exception {
    assumeTrue(onPath("promtool"), "promtool is not installed here (Debian package 'prometheus'): the rules were not checked; .ci/run installs it");
    List<String> unitTests;
    try (Stream<Path> files = Files.list(MONITORING.resolve("tests"))) {
      unitTests = files.filter(f -> f.toString().endsWith(".yaml")).map(Path::toString).sorted().toList();
    }

    assertThat(run(List.of("promtool", "check", "rules", ALERTS.toString()))).contains("SUCCESS");
    List<String> test = new ArrayList<>(List.of("promtool", "test", "rules"));
    test.addAll(unitTests);
    assertThat(run(test)).contains("SUCCESS").doesNotContain("FAILED");
  }

  static List<Map<String, Object>> rules() throws IOException {
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) load(ALERTS).get("groups")) {
      rules.addAll((List<Map<String, Object>>) group.get("rules"));
    }
    return rules;
  }

  private static List<Map<String, Object>> alerts() throws IOException {
    return rules().stream().filter(rule -> rule.containsKey("alert")).toList();
  }

  private static Map<String, Object> load(Path file) throws IOException {
    return new LinkedHashMap<>((Map<String, Object>) new Yaml().load(Files.readString(file)));
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    return path != null && Stream.of(path.split(java.io.File.pathSeparator)).anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }

  /** Runs the command in the project directory; fails the test unless it exits 0, showing its output. */
  private static String run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
    assertThat(process.exitValue()).as("%s exit status; output:%n%s", command, output).isZero();
    return output;
  }
}
