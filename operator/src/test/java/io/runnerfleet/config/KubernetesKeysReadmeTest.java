package io.runnerfleet.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.config.KubernetesKeys.Key;
import io.runnerfleet.config.KubernetesKeys.Support;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * README.md's table of gitlab-runner's {@code [runners.kubernetes]} keys is {@link KubernetesKeys}, and every key
 * that list drops is a warning, never a failure. Rerun with {@code -Dgolden.update=true} to rewrite the table.
 */
class KubernetesKeysReadmeTest {
    private static final Path README = Path.of("..", "README.md");
    static final String HEADER =
            "| `[runners.kubernetes]` key | runner-fleet | RunnerFleet field, or why it is dropped |";

    @Test
    void readmeTableListsExactlyTheKeysOfTheMapping() throws IOException {
        List<String> readme = Files.readAllLines(README);
        int start = readme.indexOf(HEADER);
        assertThat(start).as("README.md has a table starting with %s", HEADER).isNotNegative();
        int end = start;
        while (end < readme.size() && readme.get(end).startsWith("|")) {
            end++;
        }
        if (Boolean.getBoolean("golden.update")) {
            List<String> updated = new ArrayList<>(readme.subList(0, start));
            updated.addAll(List.of(expectedTable().split("\n")));
            updated.addAll(readme.subList(end, readme.size()));
            Files.write(README, updated);
            return;
        }
        assertThat(String.join("\n", readme.subList(start, end)))
                .as("README.md's [runners.kubernetes] key table differs from KubernetesKeys; rerun with "
                        + "-Dgolden.update=true")
                .isEqualTo(expectedTable());
    }

    @Test
    void theListHoldsEveryKeyOfGitlabRunnersKubernetesConfigOnce() {
        List<String> keys = KubernetesKeys.all().stream().map(Key::toml).toList();
        assertThat(keys).doesNotHaveDuplicates().hasSizeGreaterThan(110);
        // A few from each part of gitlab-runner's KubernetesConfig struct, so a shortened list fails.
        assertThat(keys)
                .contains(
                        "host",
                        "namespace_overwrite_allowed",
                        "helper_ephemeral_storage_request_overwrite_max_allowed",
                        "pod_memory_request_overwrite_max_allowed",
                        "allowed_groups",
                        "retry_limits",
                        "init_permissions_container_security_context",
                        "volumes.nfs",
                        "suspend_pvc_storage_class",
                        "pod_spec",
                        "autoscaler");
    }

    @Test
    void everyDroppedKeyIsAWarningNamingTheKeyAndNeverAFailure() {
        for (Key key : KubernetesKeys.all()) {
            if (key.support() != Support.DROPPED) {
                continue;
            }
            List<String> ignored = new ArrayList<>();
            Map<String, Object> toml = key.toml().startsWith("volumes.")
                    ? Map.of("volumes", Map.of(key.toml().substring("volumes.".length()), List.of(Map.of("name", "x"))))
                    : Map.of(key.toml(), "some value");
            ExecutorTomlMapping.fromToml(toml, null, "runners[0].kubernetes", ignored);
            assertThat(ignored)
                    .as(key.toml())
                    .anySatisfy(path -> assertThat(path).startsWith("runners[0].kubernetes." + key.toml()));
            assertThat(KubernetesKeys.dropReason(key.toml())).isEqualTo(key.fieldOrReason() + "; dropped");
        }
    }

    @Test
    void aKeyInsideAMappedTableIsAWarningWithItsPath() {
        List<String> ignored = new ArrayList<>();
        ExecutorTomlMapping.fromToml(
                Map.of(
                        "build_container_security_context",
                        Map.of("no_such_key", true),
                        "services",
                        List.of(Map.of("name", "redis:7", "no_such_key", "x"))),
                null,
                "runners[0].kubernetes",
                ignored);
        assertThat(ignored)
                .containsExactlyInAnyOrder(
                        "runners[0].kubernetes.build_container_security_context.no_such_key",
                        "runners[0].kubernetes.services[0].no_such_key");
        assertThat(KubernetesKeys.dropReason("services[0].no_such_key"))
                .isEqualTo("not supported by runner-fleet yet; dropped");
        assertThat(KubernetesKeys.dropReason("no_such_key"))
                .isEqualTo("not a key of gitlab-runner's [runners.kubernetes]; dropped");
    }

    static String expectedTable() {
        return HEADER + "\n|---|---|---|\n"
                + KubernetesKeys.all().stream()
                        .map(k -> "| `" + k.toml() + "` | " + k.support().text() + " | "
                                + (k.support() == Support.SUPPORTED ? "`" + k.fieldOrReason() + "`" : k.fieldOrReason())
                                + " |")
                        .collect(Collectors.joining("\n"));
    }
}
