package com.smsgateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every metric the alert rules and the dashboard read is one a gateway exports: names are read from a running
 * replica's /metrics after traffic through every feature, so a renamed meter breaks this test, not an alert at 3 am.
 */
@SuppressWarnings("unchecked")
class MonitoringMetricNamesTest {
  /** Exported by other scrape targets, not by the gateway: kube-state-metrics. */
  private static final Pattern EXTERNAL = Pattern.compile("kube_.*");
  private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
      "group_left", "group_right", "bool", "offset", "inf", "nan");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private static GatewayTraffic traffic;
  private static Set<String> exported;

  @BeforeAll
  static void runTraffic() {
    traffic = new GatewayTraffic(MonitoringMetricNamesTest.class);
    exported = traffic.exportedNamesAfterTraffic();
  }

  @AfterAll
  static void stop() {
    traffic.close();
  }

  @Test
  void alertAndRecordingRulesReadOnlyMetricsTheGatewayExports() throws IOException {
    Set<String> recorded = new TreeSet<>();
    List<String> expressions = new ArrayList<>();
    Map<String, Object> file = new Yaml().load(Files.readString(Path.of("k8s/monitoring/alerts.yaml")));
    for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        if (rule.containsKey("record")) {
          recorded.add((String) rule.get("record"));
        }
        expressions.add((String) rule.get("expr"));
      }
    }

    assertThat(unknownNames(expressions, recorded)).as("metric names in alerts.yaml that no gateway exports").isEmpty();
  }

  @Test
  void dashboardReadsOnlyMetricsTheGatewayExportsOrTheRulesRecord() throws IOException {
    JsonObject dashboard = new JsonObject(Files.readString(Path.of("k8s/monitoring/dashboard.json")));
    List<String> expressions = new ArrayList<>();
    for (Object panel : dashboard.getJsonArray("panels")) {
      for (Object target : ((JsonObject) panel).getJsonArray("targets", new JsonArray())) {
        expressions.add(((JsonObject) target).getString("expr"));
      }
    }
    Set<String> recorded = new TreeSet<>();
    Matcher records = Pattern.compile("(?m)^\\s*- record: (\\S+)$").matcher(Files.readString(Path.of("k8s/monitoring/alerts.yaml")));
    while (records.find()) {
      recorded.add(records.group(1));
    }

    assertThat(expressions).isNotEmpty();
    assertThat(unknownNames(expressions, recorded)).as("metric names in dashboard.json that no gateway exports").isEmpty();
  }

  private static Set<String> unknownNames(List<String> expressions, Set<String> recorded) {
    Set<String> unknown = new TreeSet<>();
    for (String expression : expressions) {
      for (String name : metricNames(expression)) {
        if (!exported.contains(name) && !recorded.contains(name) && !EXTERNAL.matcher(name).matches()) {
          unknown.add(name);
        }
      }
    }
    return unknown;
  }

  /** The metric names of a PromQL expression: identifiers outside strings, label sets, ranges and grouping clauses, not called. */
  static Set<String> metricNames(String expression) {
    String stripped = expression
        .replaceAll("\"([^\"\\\\]|\\\\.)*\"", "\"\"")
        .replaceAll("\\{[^}]*}", " ")
        .replaceAll("\\[[^]]*]", " ")
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new TreeSet<>();
    Matcher matcher = IDENTIFIER.matcher(stripped);
    while (matcher.find()) {
      String word = matcher.group();
      boolean called = stripped.substring(matcher.end()).stripLeading().startsWith("(");
      boolean number = matcher.start() > 0 && Character.isDigit(stripped.charAt(matcher.start() - 1));
      if (!called && !number && !PROMQL_WORDS.contains(word.toLowerCase()) && !word.startsWith("$")) {
        names.add(word);
      }
    }
    return names;
  }
}
