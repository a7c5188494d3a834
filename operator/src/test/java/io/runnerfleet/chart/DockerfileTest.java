package io.runnerfleet.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No Docker engine here, so the image is checked as text: what the chart and the pods rely on. */
class DockerfileTest {
    @Test
    void runsTheRunnableJarAsTheNonRootUserThePodsExpect() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("..", "src", "docker", "Dockerfile"));
        assertThat(lines).filteredOn(l -> l.startsWith("FROM ")).hasSize(2);
        assertThat(lines).contains("USER 10001:10001");
        assertThat(lines).anyMatch(l -> l.contains("operator/target/runner-fleet.jar"));
        assertThat(lines).anyMatch(l -> l.startsWith("ENTRYPOINT") && l.contains("runner-fleet.jar"));
        String chartValues = Files.readString(HelmChart.DIR.resolve("values.yaml"));
        assertThat(chartValues).contains("runAsUser: 10001");
    }

    /**
     * The heap follows the container's memory limit (a percentage, never a fixed -Xmx that ignores it), and the
     * collector is the one suited to the small heaps of both commands (bench/README.md, "Operator").
     */
    @Test
    void jvmSizesItsHeapFromTheContainerAndUsesTheSerialCollector() throws Exception {
        String options = Files.readAllLines(Path.of("..", "src", "docker", "Dockerfile")).stream()
                .filter(l -> l.startsWith("ENV JAVA_TOOL_OPTIONS="))
                .findFirst()
                .orElseThrow();
        assertThat(options)
                .contains("-XX:MaxRAMPercentage=")
                .contains("-XX:+UseSerialGC")
                .doesNotContain("-Xmx");
    }
}
