package io.runnerfleet.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/ is the chart rendered with default values, split into numbered files for
 * {@code kubectl apply -f crd/ -f deploy/}. Rewrite it after a chart change with {@code -Ddeploy.update=true}.
 */
class DeployManifestsTest {
    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Map<String, String> FILE_BY_KIND = Map.of(
            "Namespace", "000-namespace.yaml",
            "ServiceAccount", "010-serviceaccount.yaml",
            "ClusterRole", "020-clusterrole.yaml",
            "ClusterRoleBinding", "021-clusterrolebinding.yaml",
            "Role", "022-role.yaml",
            "RoleBinding", "023-rolebinding.yaml",
            "Service", "030-service.yaml",
            "Deployment", "040-deployment.yaml");
    private static final String HEADER =
            "# Generated from charts/runner-fleet with default values by DeployManifestsTest;"
                    + " do not edit.\n# Install: kubectl apply --server-side -f crd/ && kubectl apply -f deploy/\n";
    private static final String NAMESPACE = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: %s
              labels:
                app.kubernetes.io/part-of: runner-fleet
            """.formatted(HelmChart.NAMESPACE);

    static Map<String, String> expectedFiles() {
        Map<String, StringBuilder> files = new TreeMap<>();
        files.computeIfAbsent(FILE_BY_KIND.get("Namespace"), f -> new StringBuilder())
                .append("---\n")
                .append(NAMESPACE);
        String rendered = HelmChart.template(Map.of());
        for (String document : rendered.split("(?m)^---\\s*$")) {
            String body = document.strip();
            if (body.isEmpty()) {
                continue;
            }
            String kind = body.lines()
                    .filter(l -> l.startsWith("kind: "))
                    .findFirst()
                    .orElseThrow()
                    .substring("kind: ".length())
                    .strip();
            String file = FILE_BY_KIND.get(kind);
            assertThat(file).as("a deploy/ file for kind %s", kind).isNotNull();
            files.computeIfAbsent(file, f -> new StringBuilder())
                    .append("---\n")
                    .append(body)
                    .append('\n');
        }
        Map<String, String> result = new TreeMap<>();
        files.forEach((file, content) -> result.put(file, HEADER + content));
        return result;
    }

    @Test
    void deployIsTheChartRenderedWithDefaultValues() throws IOException {
        Map<String, String> expected = expectedFiles();
        if (Boolean.getBoolean("deploy.update")) {
            Files.createDirectories(DEPLOY);
            try (Stream<Path> old = Files.list(DEPLOY)) {
                for (Path file : old.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                    Files.delete(file);
                }
            }
            for (Map.Entry<String, String> file : expected.entrySet()) {
                Files.writeString(DEPLOY.resolve(file.getKey()), file.getValue());
            }
        }
        List<String> committed;
        try (Stream<Path> files = Files.list(DEPLOY)) {
            committed = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml"))
                    .sorted()
                    .toList();
        }
        assertThat(committed)
                .as("deploy/ files; refresh with -Ddeploy.update=true")
                .isEqualTo(List.copyOf(expected.keySet()));
        for (Map.Entry<String, String> file : expected.entrySet()) {
            assertThat(Files.readString(DEPLOY.resolve(file.getKey())))
                    .as(
                            "deploy/%s drifted from the chart; refresh with: ./mvnw -B -q -pl operator -am test "
                                    + "-Dtest=DeployManifestsTest -Dsurefire.failIfNoSpecifiedTests=false -Ddeploy.update=true",
                            file.getKey())
                    .isEqualTo(file.getValue());
        }
    }
}
