package io.runnerfleet.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real API server holds more ClusterIP Services than kube-api-test's own range (10.0.0.0/24: 253 besides
 * {@code kubernetes}), because every fleet has one (its metrics Service) and the benchmarks create 1,000 fleets.
 * Without {@link RealApiServer#EXTRA_SERVICE_CIDR} the 254th create fails with "failed to allocate a serviceIP: range
 * is full"; that was the 1,000-fleet benchmark's stall (bench/README.md, 3b).
 */
@External.ApiServer
@ExtendWith(RealApiServerExtension.class)
class ServiceCapacityOnRealApiServerTest {
    /** More than the default range holds, however many Services other test classes of this JVM made before. */
    private static final int SERVICES = 300;

    private final RealApiServer server;

    ServiceCapacityOnRealApiServerTest(RealApiServer server) {
        this.server = server;
    }

    @Test
    void moreClusterIpServicesThanTheDefaultRangeHoldAreCreated() {
        String namespace = server.createNamespace("services");
        // No retries: a full range answers 500, which the client would otherwise retry for about 100 s per create.
        List<String> clusterIps = new ArrayList<>();
        try (KubernetesClient client = RealApiServer.newClient(new ConfigBuilder(server.adminConfig())
                .withRequestRetryBackoffLimit(0)
                .build())) {
            for (int i = 0; i < SERVICES; i++) {
                Service created = client.services()
                        .inNamespace(namespace)
                        .resource(new ServiceBuilder()
                                .withNewMetadata()
                                .withName("metrics-" + i)
                                .endMetadata()
                                .withNewSpec()
                                .addToSelector("app", "none")
                                .addNewPort()
                                .withPort(9252)
                                .endPort()
                                .endSpec()
                                .build())
                        .create();
                clusterIps.add(created.getSpec().getClusterIP());
            }
        }
        assertThat(clusterIps).hasSize(SERVICES).doesNotHaveDuplicates().allMatch(ip -> ip.startsWith("10."));
    }
}
