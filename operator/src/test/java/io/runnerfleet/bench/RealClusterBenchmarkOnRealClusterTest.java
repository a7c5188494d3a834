package io.runnerfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnerfleet.testing.External;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real-cluster benchmark at its tiny size, so that {@code bench/run cluster} keeps working; no speed asserted. */
@External.RealCluster
class RealClusterBenchmarkOnRealClusterTest {
    @TempDir
    Path dir;

    @Test
    void measuresPodStartAndOverheadOfARealJob() throws Exception {
        RealClusterJobBenchmark.Run run = RealClusterJobBenchmark.run(dir, 1);
        assertThat(run.podRunning()).hasSize(1).allMatch(s -> s > 0);
        assertThat(run.barePod()).hasSize(1).allMatch(s -> s > 0);
        assertThat(run.overhead()).hasSize(1).allMatch(s -> s > 0);
    }
}
