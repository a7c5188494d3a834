package io.runnerfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.runnerfleet.testing.Cli;
import io.runnerfleet.testing.Examples;
import io.runnerfleet.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

class RenderCommandTest {
    private static final String SEED = Examples.path("seed-fleet.yaml").toString();

    @Test
    void seedFleetRendersAsTheGoldenFiles() {
        Cli.Result result = Cli.run("render", "-f", SEED, "--manager-image", "runner-fleet:test");
        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
        Golden.assertMatches("render/seed-fleet.yaml", result.out());
    }

    /**
     * A fleet whose jobs may move their pods ({@code spec.executor.namespaceOverwrite}): the job Role and RoleBinding
     * in each listed namespace, and gitlab-runner's key plus the list in {@code config.toml}.
     */
    @Test
    void aNamespaceOverwriteFleetRendersItsJobRbacInEachListedNamespace() {
        Cli.Result result = Cli.run(
                "render",
                "-f",
                "src/test/resources/fleets/namespace-overwrite-fleet.yaml",
                "--manager-image",
                "runner-fleet:test");
        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
        Golden.assertMatches("render/namespace-overwrite-fleet.yaml", result.out());
        assertThat(result.out())
                .contains(
                        "namespace_overwrite_allowed = \"^ci-\"",
                        "namespace_overwrite_namespaces = [\"ci-review\", \"ci-perf\"]");
    }

    /**
     * {@code spec.warmCapacity}: the shared PriorityClass and the pause pods' ReplicaSet, sized from the fleet's own
     * Job Pod, counted for {@code --running-jobs} at {@code --at} (Monday 10:30 in Berlin: business hours).
     */
    @Test
    void aWarmCapacityFleetRendersItsPausePodsForTheGivenTimeAndJobs() throws Exception {
        String fleet = "src/test/resources/fleets/warm-capacity-fleet.yaml";
        Cli.Result result = Cli.run(
                "render",
                "-f",
                fleet,
                "--manager-image",
                "runner-fleet:test",
                "--running-jobs",
                "7",
                "--at",
                "2026-12-07T09:30:00Z");
        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
        Golden.assertMatches("render/warm-capacity-fleet.yaml", result.out());
        List<JsonNode> documents = documents(result.out());
        JsonNode pods = byKind(documents, "ReplicaSet");
        assertThat(pods.path("spec").path("replicas").asInt())
                .as("max(2, ceil(7 x 0.5))")
                .isEqualTo(4);
        assertThat(pods.path("spec")
                        .path("template")
                        .path("spec")
                        .path("containers")
                        .get(0)
                        .path("resources")
                        .toString())
                .isEqualTo("{\"requests\":{\"cpu\":\"1250m\",\"memory\":\"2304Mi\"}}");
        assertThat(byKind(documents, "PriorityClass").path("value").asInt()).isEqualTo(-1);

        JsonNode night = byKind(
                documents(Cli.run("render", "-f", fleet, "--running-jobs", "7", "--at", "2026-12-07T19:30:00Z")
                        .out()),
                "ReplicaSet");
        assertThat(night.path("spec").path("replicas").asInt())
                .as("no policy at night")
                .isZero();
    }

    @Test
    void seedFleetHasThreeManagersAndTheSeedsExecutorSettings() throws Exception {
        List<JsonNode> documents = documents(Cli.run("render", "-f", SEED).out());
        assertThat(documents)
                .extracting(d -> d.path("kind").asText())
                .containsExactly(
                        "ConfigMap",
                        "ServiceAccount",
                        "Role",
                        "RoleBinding",
                        "Role",
                        "RoleBinding",
                        "Deployment",
                        "Service",
                        "PodDisruptionBudget",
                        "PodDisruptionBudget");

        JsonNode deployment = byKind(documents, "Deployment");
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(3);
        JsonNode manager = deployment
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);
        assertThat(manager.path("ports").get(0).path("containerPort").asInt()).isEqualTo(9252);
        // The token is a mounted file the manager re-reads, so a rotation reaches it without a restart.
        assertThat(manager.path("args").toString()).contains("\"--token-file\",\"/var/run/runner-fleet/token/token\"");
        assertThat(manager.path("env").toString()).doesNotContain("RUNNER_TOKEN");
        JsonNode tokenVolume = deployment
                .path("spec")
                .path("template")
                .path("spec")
                .path("volumes")
                .findParent("secret");
        assertThat(tokenVolume.path("secret").path("secretName").asText()).isEqualTo("build-fleet-token");
        assertThat(tokenVolume.path("secret").path("items").get(0).path("path").asText())
                .isEqualTo("token");

        String configToml =
                byKind(documents, "ConfigMap").path("data").path("config.toml").asText();
        TomlParseResult toml = Toml.parse(configToml);
        assertThat(toml.errors()).isEmpty();
        assertThat(toml.getLong("concurrent")).isEqualTo(10L);
        assertThat(toml.getString("listen_address")).isEqualTo(":9252");
        TomlTable kubernetes = toml.getArray("runners").getTable(0).getTable("kubernetes");
        assertThat(kubernetes.getString("helper_image"))
                .isEqualTo("registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.0");
        assertThat(kubernetes.getString("helper_cpu_limit")).isEqualTo("500m");
        assertThat(kubernetes.getString("helper_memory_limit")).isEqualTo("512Mi");
        assertThat(kubernetes.getString("dns_policy")).isEqualTo("none");
        TomlTable dns = kubernetes.getTable("dns_config");
        assertThat(dns.getArray("nameservers").toList()).containsExactly("10.0.0.2", "10.1.0.251", "10.1.0.252");
        assertThat(dns.getArray("searches").toList())
                .containsExactly("gitlab.svc.cluster.local", "svc.cluster.local", "cluster.local");
        assertThat(dns.getArray("options").getTable(0).getString("name")).isEqualTo("ndots");
        assertThat(dns.getArray("options").getTable(0).getString("value")).isEqualTo("2");
        // No runner token key (automount_service_account_token is a pod setting, not a token).
        assertThat(configToml).doesNotContainPattern("(?m)^\\s*token\\s*=").doesNotContain("glrt-");
    }

    @Test
    void versionPrintsTheBuildVersion() {
        Cli.Result result = Cli.run("version");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("runner-fleet ");
    }

    @Test
    void everyCommandExplainsItselfWithHelp() {
        for (String command : List.of("operator", "manager", "render", "explain", "import", "version")) {
            Cli.Result result = Cli.run(command, "--help");
            assertThat(result.exitCode())
                    .as(command + " --help: " + result.err())
                    .isZero();
            assertThat(result.out()).as(command).contains("Usage: runner-fleet " + command);
        }
    }

    private static List<JsonNode> documents(String yaml) throws Exception {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it =
                new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNextValue()) {
                JsonNode node = it.nextValue();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    documents.add(node);
                }
            }
        }
        return documents;
    }

    private static JsonNode byKind(List<JsonNode> documents, String kind) {
        return documents.stream()
                .filter(d -> kind.equals(d.path("kind").asText()))
                .findFirst()
                .orElseThrow();
    }
}
