package io.runnerfleet.e2e;

import io.runnerfleet.testing.MockTestCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link K3sEndToEndTest}'s scenario on the mock API server, so the scenario itself runs where Docker does not. */
class SeedFleetOnMockTest {
    @Test
    void seedFleetGetsItsObjectsAndStatus() throws Exception {
        try (MockTestCluster cluster = MockTestCluster.start()) {
            SeedFleetScenario.run(cluster, Duration.ofSeconds(20));
        }
    }
}
