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
}
