package com.smsgateway.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.smsgateway.Gateway;
import com.smsgateway.config.Config;
import com.smsgateway.config.GatewayConfig;
import com.smsgateway.testing.Await;
import com.smsgateway.testing.TestGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

@SuppressWarnings("unchecked")
class K8sManifestsTest {
  private static final Path K8S = Path.of("k8s");
  private static final List<Map<String, Object>> documents = new ArrayList<>();
  /** Prometheus Operator resources (k8s/monitoring); alerts.yaml there is plain rule groups, not a manifest. */
  private static final List<Map<String, Object>> monitoring = new ArrayList<>();
  private static GatewayConfig config;
  /** management.port's default: /metrics is served there. */
  private static final int MANAGEMENT_PORT = 9090;

  @BeforeAll
  static void parseEveryManifest() throws IOException {
    try (Stream<Path> files = Files.list(K8S)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object doc : new Yaml().loadAll(Files.readString(file))) {
          assertThat(doc).as("%s parses to a mapping", file).isInstanceOf(Map.class);
          documents.add((Map<String, Object>) doc);
        }
      }
    }
    try (Stream<Path> files = Files.list(K8S.resolve("monitoring"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object doc : new Yaml().loadAll(Files.readString(file))) {
          if (doc instanceof Map<?, ?> map && map.containsKey("kind")) {
            monitoring.add((Map<String, Object>) doc);
          }
        }
      }
    }
    config = GatewayConfig.from(Config.load(Map.of(Config.CONFIG_FILE_ENV, "conf/gateway.yaml")));
  }

  @Test
  void podsMountNoServiceAccountTokenAndRunAPinnedImage() {
    String image = (String) container().get("image");

    assertThat(podSpec().get("automountServiceAccountToken")).isEqualTo(false);
    assertThat(image).as("pinned by tag or digest").matches(".+(:[^/:]+|@sha256:[0-9a-f]{64})$");
    assertThat(image).doesNotEndWith(":latest");
  }

  @Test
  void prometheusScrapesTheManagementPortThroughAPodMonitorAndTheServiceDoesNotExposeIt() {
    List<Map<String, Object>> ports = (List<Map<String, Object>>) container().get("ports");
    Map<String, Object> podMonitor = single(monitoring, "PodMonitor");
    Map<String, Object> spec = (Map<String, Object>) podMonitor.get("spec");
    Map<String, Object> podLabels = (Map<String, Object>) ((Map<String, Object>) template().get("metadata")).get("labels");
    List<Map<String, Object>> servicePorts = (List<Map<String, Object>>) ((Map<String, Object>) single("Service").get("spec")).get("ports");

    assertThat(ports).anySatisfy(port -> {
      assertThat(port.get("name")).isEqualTo("management");
      assertThat(port.get("containerPort")).isEqualTo(MANAGEMENT_PORT);
    });
    assertThat(((Map<String, Object>) ((Map<String, Object>) spec.get("selector")).get("matchLabels")).entrySet()).isSubsetOf(podLabels.entrySet());
    assertThat(podLabels.get(spec.get("jobLabel"))).as("job label the alert rules select").isEqualTo("sms-gateway");
    assertThat((List<Map<String, Object>>) spec.get("podMetricsEndpoints")).singleElement().satisfies(endpoint -> {
      assertThat(endpoint.get("port")).isEqualTo("management");
      assertThat(endpoint.get("path")).isEqualTo("/metrics");
    });
    assertThat(servicePorts).noneSatisfy(port -> assertThat(port.get("targetPort")).isIn("management", MANAGEMENT_PORT));
    assertThat(single(monitoring, "PrometheusRule")).isNotNull();
  }

  @Test
  void networkPolicyAdmitsOnlyTheIngressControllerAndPrometheusAndLetsOutOnlyTheDependencies() {
    Map<String, Object> spec = (Map<String, Object>) single("NetworkPolicy").get("spec");
    Map<String, Object> podLabels = (Map<String, Object>) ((Map<String, Object>) template().get("metadata")).get("labels");
    List<Map<String, Object>> ingress = (List<Map<String, Object>>) spec.get("ingress");
    List<Map<String, Object>> egress = (List<Map<String, Object>>) spec.get("egress");

    assertThat(((Map<String, Object>) ((Map<String, Object>) spec.get("podSelector")).get("matchLabels")).entrySet()).isSubsetOf(podLabels.entrySet());
    assertThat((List<String>) spec.get("policyTypes")).containsExactlyInAnyOrder("Ingress", "Egress");
    assertThat(ingress).allSatisfy(rule -> assertThat((List<?>) rule.get("from")).as("every ingress rule names its sources").isNotEmpty());
    assertThat(ingress).extracting(rule -> List.of(namespaces(rule.get("from")), ports(rule)))
        .containsExactlyInAnyOrder(List.of(List.of("ingress-nginx"), List.of("http")), List.of(List.of("monitoring"), List.of("management")));
    assertThat(egress).allSatisfy(rule -> assertThat((List<?>) rule.get("to")).as("every egress rule names its destinations").isNotEmpty());
    assertThat(egress.stream().flatMap(rule -> ports(rule).stream()).toList())
        .as("DNS, PostgreSQL, Redis, HTTPS (Twilio, voice platform, chat agents), SMTP")
        .contains(53, 5432, 6379, 443, 587);
  }

  @Test
  void probesUseRoutesTheGatewayServesOnItsConfiguredPort() {
    Map<String, Object> container = container();
    Gateway gateway = Await.result(TestGateway.forClass(K8sManifestsTest.class).start());
    List<String> served;
    try {
      served = gateway.routeSignatures();
    } finally {
      Await.result(gateway.stop());
    }
    List<Map<String, Object>> ports = (List<Map<String, Object>>) container.get("ports");
    assertThat(ports).anySatisfy(port -> {
      assertThat(port.get("name")).isEqualTo("http");
      assertThat(port.get("containerPort")).isEqualTo(config.http().port());
    });
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      Map<String, Object> httpGet = (Map<String, Object>) ((Map<String, Object>) container.get(probe)).get("httpGet");
      assertThat(httpGet.get("port")).as(probe).isEqualTo("http");
      assertThat(served).as(probe).contains("GET " + httpGet.get("path"));
    }
    Map<String, Object> readiness = (Map<String, Object>) ((Map<String, Object>) container.get("readinessProbe")).get("httpGet");
    assertThat(readiness.get("path")).isEqualTo("/health/ready");
  }

  @Test
  void terminationGracePeriodCoversReadinessGraceAndDrain() {
    long needed = config.shutdown().readinessGrace().plus(config.shutdown().drainTimeout()).toSeconds();

    assertThat(((Number) podSpec().get("terminationGracePeriodSeconds")).longValue()).isGreaterThan(needed);
  }

  @Test
  void runsAsNonRootWithAReadOnlyRootFilesystem() {
    Map<String, Object> podSecurity = (Map<String, Object>) podSpec().get("securityContext");
    Map<String, Object> containerSecurity = (Map<String, Object>) container().get("securityContext");

    assertThat(podSecurity.get("runAsNonRoot")).isEqualTo(true);
    assertThat(containerSecurity.get("readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(containerSecurity.get("allowPrivilegeEscalation")).isEqualTo(false);
    assertThat((Map<String, Object>) container().get("resources")).containsKeys("requests", "limits");
  }

  @Test
  void serviceTargetsTheContainerPort() {
    Map<String, Object> service = single("Service");
    List<Map<String, Object>> ports = (List<Map<String, Object>>) ((Map<String, Object>) service.get("spec")).get("ports");

    assertThat(ports).anySatisfy(port -> assertThat(port.get("targetPort")).isEqualTo("http"));
  }

  @Test
  void metricsAreScrapedFromTheManagementPortWhichTheServiceDoesNotExpose() {
    List<Map<String, Object>> containerPorts = (List<Map<String, Object>>) container().get("ports");
    Map<String, Object> annotations = (Map<String, Object>) ((Map<String, Object>) template().get("metadata")).get("annotations");
    List<Map<String, Object>> servicePorts = (List<Map<String, Object>>) ((Map<String, Object>) single("Service").get("spec")).get("ports");

    assertThat(containerPorts).anySatisfy(port -> {
      assertThat(port.get("name")).isEqualTo("management");
      assertThat(port.get("containerPort")).isEqualTo(config.management().port());
    });
    assertThat(annotations.get("prometheus.io/port")).isEqualTo(Integer.toString(config.management().port()));
    assertThat(annotations.get("prometheus.io/path")).isEqualTo("/metrics");
    assertThat(servicePorts).allSatisfy(port -> {
      assertThat(port.get("targetPort")).isNotIn("management", config.management().port());
      assertThat(port.get("port")).isNotEqualTo(config.management().port());
    });
  }

  @Test
  void configMapHoldsConfGatewayYamlVerbatim() throws IOException {
    Map<String, Object> data = (Map<String, Object>) single("ConfigMap").get("data");

    assertThat(data.get("gateway.yaml"))
        .as("k8s/configmap.yaml is out of date: run k8s/render-configmap.sh")
        .isEqualTo(Files.readString(Path.of("conf/gateway.yaml")));
  }

  @Test
  void secretIsOnlyATemplateOutsideTheKustomization() {
    Map<String, Object> kustomization = single("Kustomization");
    List<String> resources = (List<String>) kustomization.get("resources");

    assertThat(resources).containsExactlyInAnyOrder("configmap.yaml", "deployment.yaml", "service.yaml", "hpa.yaml", "pdb.yaml",
        "networkpolicy.yaml");
    Map<String, Object> secret = single("Secret");
    ((Map<String, Object>) secret.get("stringData")).values()
        .forEach(value -> assertThat(value.toString()).containsAnyOf("REPLACE", "example", "xxxx", "live"));
  }

  @Test
  void autoscalerAndDisruptionBudgetSelectTheDeployment() {
    Map<String, Object> hpaSpec = (Map<String, Object>) single("HorizontalPodAutoscaler").get("spec");
    Map<String, Object> pdbSpec = (Map<String, Object>) single("PodDisruptionBudget").get("spec");
    Map<String, Object> podLabels = (Map<String, Object>) ((Map<String, Object>) template().get("metadata")).get("labels");

    assertThat(((Map<String, Object>) hpaSpec.get("scaleTargetRef")).get("name")).isEqualTo("sms-gateway");
    assertThat(((Map<String, Object>) ((Map<String, Object>) pdbSpec.get("selector")).get("matchLabels")).entrySet())
        .isSubsetOf(podLabels.entrySet());
  }

  private static List<String> namespaces(Object peers) {
    return ((List<Map<String, Object>>) peers).stream()
        .map(peer -> (String) ((Map<String, Object>) ((Map<String, Object>) peer.get("namespaceSelector")).get("matchLabels"))
            .get("kubernetes.io/metadata.name"))
        .toList();
  }

  private static List<Object> ports(Map<String, Object> rule) {
    return ((List<Map<String, Object>>) rule.get("ports")).stream().map(port -> port.get("port")).distinct().toList();
  }

  private static Map<String, Object> single(String kind) {
    return single(documents, kind);
  }

  private static Map<String, Object> single(List<Map<String, Object>> documents, String kind) {
    List<Map<String, Object>> matching = documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    assertThat(matching).as("exactly one %s", kind).hasSize(1);
    return matching.get(0);
  }

  private static Map<String, Object> template() {
    return (Map<String, Object>) ((Map<String, Object>) single("Deployment").get("spec")).get("template");
  }

  private static Map<String, Object> podSpec() {
    return (Map<String, Object>) template().get("spec");
  }

  private static Map<String, Object> container() {
    return ((List<Map<String, Object>>) podSpec().get("containers")).get(0);
  }
}
