package io.runnerfleet.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runnerfleet.base.BuildInfo;
import io.runnerfleet.metrics.MetricNames;
import io.runnerfleet.testing.Cli;
import io.runnerfleet.testing.External;
import io.runnerfleet.testing.KubernetesRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@External.Helm
class ChartTest {
    /** Every switch of values.yaml turned on. */
    static Map<String, Object> everySwitchOn() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("replicaCount", 2);
        values.put("leaderElection.enabled", true);
        values.put("metrics.podMonitor.enabled", true);
        values.put("metrics.serviceMonitor.enabled", true);
        values.put("dashboard.enabled", true);
        values.put("prometheusRule.enabled", true);
        values.put("imagePullSecrets[0].name", "registry-credentials");
        values.put("managerImage.repository", "registry.example.com/runner-fleet/manager");
        values.put("fleets[0].name", "build-fleet");
        values.put("fleets[0].namespace", "gitlab");
        values.put("fleets[0].spec.gitlab.url", "https://gitlab.example.com/");
        values.put("fleets[0].spec.gitlab.tokenSecretRef.name", "build-fleet-token");
        values.put("fleets[0].spec.managers.replicas", 3);
        return values;
    }

    @Test
    void lintStrictIsClean() {
        LintResult result = new Helm(HelmChart.DIR).lint().strict().call();
        assertThat(result.isFailed())
                .as(String.join("\n", result.getMessages()))
                .isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    /**
     * The chart's example of issue #17's fleet operations (pause, token expiry and rotation, capacity-aware polling,
     * drain protection, DinD inheritance, warm capacity) makes a fleet that {@code render} accepts, with the objects
     * those features add.
     */
    @Test
    void theFleetOperationsExampleMakesAFleetRenderAcceptsWithEveryFeatureItAdds(@TempDir Path dir) throws Exception {
        List<JsonNode> fleets = HelmChart.documents(
                        HelmChart.templateWithValuesFile(HelmChart.DIR.resolve("examples/fleet-operations.yaml")))
                .stream()
                .filter(d -> d.path("kind").asText().equals("RunnerFleet"))
                .toList();
        assertThat(fleets).hasSize(1);
        Path fleet = dir.resolve("fleet.yaml");
        Files.writeString(fleet, fleets.get(0).toString());

        Cli.Result result = Cli.run("render", "-f", fleet.toString(), "--manager-image", "runner-fleet:test");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("name: build-fleet-jobs") // the Job Pods' PodDisruptionBudget
                .contains("name: build-fleet-warm") // the pause pods' ReplicaSet
                .contains("token_rotation_before")
                .contains("capacity_aware = \"quota\"")
                .contains("resourcequotas");
    }

    @Test
    void defaultValuesRenderObjectsThatParseIntoTheirModels() {
        List<JsonNode> documents = HelmChart.documents(HelmChart.template(Map.of()));
        assertThat(documents)
                .extracting(d -> d.path("kind").asText())
                .containsExactlyInAnyOrder(
                        "ServiceAccount",
                        "ClusterRole",
                        "ClusterRoleBinding",
                        "Role",
                        "RoleBinding",
                        "Deployment",
                        "Service");
        for (JsonNode document : documents) {
            HasMetadata object = Serialization.unmarshal(document.toString());
            assertThat(object).as(document.path("kind").asText()).isNotInstanceOf(GenericKubernetesResource.class);
        }
        Deployment deployment = deployment(documents);
        assertThat(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("registry.example.com/runner-fleet/runner-fleet:" + BuildInfo.version());
        var security = deployment
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getSecurityContext();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getSecurityContext()
                        .getRunAsNonRoot())
                .isTrue();
    }

    /**
     * The operator's JVM runs with the flags measured for it (bench/README.md, "Operator"): jvmOptions reaches the
     * container as JDK_JAVA_OPTIONS (read after the image's JAVA_TOOL_OPTIONS) and the heap is sized from the
     * memory limit the chart sets; an empty jvmOptions adds nothing.
     */
    @Test
    void operatorJvmGetsTheMeasuredFlagsAndAMemoryLimit() throws Exception {
        JsonNode values =
                new YAMLMapper().readTree(HelmChart.DIR.resolve("values.yaml").toFile());
        String jvmOptions = values.path("jvmOptions").asText();
        assertThat(jvmOptions).contains("-XX:+UseSerialGC");
        var container = deployment(HelmChart.documents(HelmChart.template(Map.of())))
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(container.getEnv())
                .filteredOn(e -> e.getName().equals("JDK_JAVA_OPTIONS"))
                .singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo(jvmOptions));
        assertThat(container.getResources().getLimits()).containsKey("memory");

        var withoutOptions = deployment(HelmChart.documents(HelmChart.template(Map.of("jvmOptions", ""))))
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(withoutOptions.getEnv()).noneMatch(e -> e.getName().equals("JDK_JAVA_OPTIONS"));
    }

    @Test
    void everySwitchOnRendersEveryOptionalObject() {
        List<JsonNode> documents = HelmChart.documents(HelmChart.template(everySwitchOn()));
        assertThat(documents)
                .extracting(d -> d.path("kind").asText())
                .contains("PodMonitor", "ServiceMonitor", "PrometheusRule", "ConfigMap", "RunnerFleet");
        Deployment deployment = deployment(documents);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getArgs())
                .contains(
                        "--leader-election",
                        "--manager-image=registry.example.com/runner-fleet/manager:" + BuildInfo.version());
        JsonNode fleet = documents.stream()
                .filter(d -> d.path("kind").asText().equals("RunnerFleet"))
                .findFirst()
                .orElseThrow();
        assertThat(fleet.path("metadata").path("namespace").asText()).isEqualTo("gitlab");
        assertThat(fleet.path("spec").path("managers").path("replicas").asInt()).isEqualTo(3);
    }

    @Test
    void everyRenderedObjectPassesTheApiServersRules() {
        List<Map<String, Object>> valueSets =
                List.of(Map.of(), everySwitchOn(), Map.of("watchNamespaces[0]", "gitlab", "watchNamespaces[1]", "ci"));
        int checked = 0;
        for (Map<String, Object> values : valueSets) {
            for (JsonNode document : HelmChart.documents(HelmChart.template(values))) {
                HasMetadata object = Serialization.unmarshal(document.toString());
                if (object instanceof GenericKubernetesResource) {
                    continue; // PodMonitor, ServiceMonitor, PrometheusRule: CRDs the rules do not know
                }
                KubernetesRules.assertValid(object);
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(20);
    }

    @Test
    void operatorServiceMonitorKeepsTheFleetsNamespaceLabel() {
        JsonNode monitor = HelmChart.documents(HelmChart.template(everySwitchOn())).stream()
                .filter(d -> d.path("kind").asText().equals("ServiceMonitor"))
                .findFirst()
                .orElseThrow();
        // runner_fleet_fleet_ready{namespace=<the fleet's>}: without honorLabels Prometheus renames it to
        // exported_namespace and the alert names the operator's namespace instead.
        assertThat(monitor.path("spec")
                        .path("endpoints")
                        .get(0)
                        .path("honorLabels")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void watchNamespacesGiveRolesInsteadOfAClusterRoleForFleets() {
        List<JsonNode> documents = HelmChart.documents(
                HelmChart.template(Map.of("watchNamespaces[0]", "gitlab", "watchNamespaces[1]", "ci")));
        assertThat(documents)
                .filteredOn(d -> d.path("kind").asText().equals("Role"))
                .extracting(d -> d.path("metadata").path("namespace").asText())
                .contains("gitlab", "ci");
        assertThat(documents)
                .filteredOn(d -> d.path("kind").asText().equals("ClusterRole"))
                .extracting(d -> d.path("rules").get(0).path("resources").get(0).asText())
                .containsExactly("namespaces");
    }

    @Test
    void schemaRejectsBadValuesWithAReadableError() {
        assertThatThrownBy(() -> HelmChart.template(Map.of("replicaCount", -1)))
                .hasMessageContaining("replicaCount")
                .hasMessageContaining("greater than or equal to 0");
        assertThatThrownBy(() -> HelmChart.template(Map.of("image.tag", 3)))
                .hasMessageContaining("image.tag")
                .hasMessageContaining("string");
        assertThatThrownBy(() -> HelmChart.template(Map.of("replicas", 3)))
                .hasMessageContaining("replicas")
                .hasMessageContaining("not allowed");
    }

    @Test
    void twoReplicasWithoutLeaderElectionAreRefused() {
        assertThatThrownBy(() -> HelmChart.template(Map.of("replicaCount", 2, "leaderElection.enabled", false)))
                .hasMessageContaining("leaderElection.enabled=true");
    }

    @Test
    void chartCrdsAreACopyOfCrd() throws Exception {
        Path committed = Path.of("..", "crd", "runnerfleets.runnerfleet.io-v1.yml");
        Path inChart = HelmChart.DIR.resolve("crds").resolve("runnerfleets.runnerfleet.io-v1.yml");
        assertThat(Files.readString(inChart))
                .as("charts/runner-fleet/crds/ drifted from crd/; refresh with "
                        + "./mvnw -B -q -pl api process-classes -Prefresh-crd")
                .isEqualTo(Files.readString(committed));
    }

    @Test
    void appVersionIsTheProjectVersion() throws Exception {
        JsonNode chart =
                new YAMLMapper().readTree(HelmChart.DIR.resolve("Chart.yaml").toFile());
        assertThat(chart.path("appVersion").asText()).isEqualTo(BuildInfo.version());
    }

    @Test
    void dashboardAndAlertsQueryOnlyMetricsWeExport() throws Exception {
        Set<String> exported = new TreeSet<>(MetricNames.MANAGER);
        exported.addAll(MetricNames.OPERATOR);
        for (String histogram : MetricNames.HISTOGRAMS) {
            exported.addAll(List.of(histogram + "_bucket", histogram + "_sum", histogram + "_count"));
        }
        String dashboard = Files.readString(HelmChart.DIR.resolve("files").resolve("dashboard.json"));
        String rules = HelmChart.documents(HelmChart.template(Map.of("prometheusRule.enabled", true))).stream()
                .filter(d -> d.path("kind").asText().equals("PrometheusRule"))
                .findFirst()
                .orElseThrow()
                .toString();
        Set<String> queried = metricNames(dashboard + rules);
        assertThat(queried).isNotEmpty();
        assertThat(exported).containsAll(queried);
        assertThat(queried)
                .contains(
                        MetricNames.JOBS,
                        MetricNames.FAILED_JOBS_TOTAL,
                        MetricNames.API_REQUEST_STATUSES_TOTAL,
                        MetricNames.JOB_PICKUP_SECONDS + "_bucket",
                        MetricNames.FLEET_READY);
    }

    private static Set<String> metricNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("\\b((?:gitlab_runner|runner_fleet)_[a-z_]+)\\b")
                .matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static Deployment deployment(List<JsonNode> documents) {
        JsonNode node = documents.stream()
                .filter(d -> d.path("kind").asText().equals("Deployment"))
                .findFirst()
                .orElseThrow();
        return Serialization.unmarshal(node.toString(), Deployment.class);
    }
}
