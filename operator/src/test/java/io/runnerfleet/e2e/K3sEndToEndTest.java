package io.runnerfleet.e2e;

import io.runnerfleet.testing.External;
import io.runnerfleet.testing.K3sTestCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The seed's install on a real k3s: CRD from {@code crd/}, the operator in-process with the k3s kubeconfig,
 * {@code examples/seed-fleet.yaml}. Skipped where no Docker engine exists (Testcontainers then prints an ERROR
 * block about finding Docker: expected). The same scenario runs on the mock in {@link SeedFleetOnMockTest}.
 */
@External.K3s
@Testcontainers(disabledWithoutDocker = true)
class K3sEndToEndTest {
    @Container
    private static final K3sContainer K3S = new K3sContainer(DockerImageName.parse(K3sTestCluster.IMAGE));

    @Test
    void seedFleetGetsItsObjectsAndStatus() throws Exception {
        try (K3sTestCluster cluster = K3sTestCluster.of(K3S)) {
            SeedFleetScenario.run(cluster, Duration.ofMinutes(2));
        }
    }
}
