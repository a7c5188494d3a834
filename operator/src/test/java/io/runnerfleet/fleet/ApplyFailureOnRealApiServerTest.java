package io.runnerfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.runnerfleet.api.v1alpha1.FleetConditionType;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.testing.External;
import io.runnerfleet.testing.Fleets;
import io.runnerfleet.testing.RealApiServer;
import io.runnerfleet.testing.RealApiServerExtension;
import io.runnerfleet.testing.RealApiTestCluster;
import io.runnerfleet.testing.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A valid fleet whose objects the API server refuses to create: a ResourceQuota allowing no Service in its namespace
 * (the real quota admission refuses the metrics Service; the test writes the quota's status as its controller would). The fleet says so in Degraded, with the API server's
 * answer and a Warning Event, and comes back once the quota goes. Only the real API server admits by quota.
 */
@External.ApiServer
@ExtendWith(RealApiServerExtension.class)
class ApplyFailureOnRealApiServerTest {
    private final TestCluster cluster;
    private OperatorHarness harness;

    ApplyFailureOnRealApiServerTest(RealApiServer server) {
        this.cluster = RealApiTestCluster.on(server);
    }

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
        cluster.close();
    }

    @Test
    void aWriteTheApiServerRefusesMakesTheFleetDegradedNamingItUntilItSucceeds() {
        String ns = cluster.createNamespace("refused");
        harness = OperatorHarness.start(cluster, ns);
        ResourceQuota noServices = new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName("no-services")
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .addToHard("services", new Quantity("0"))
                .endSpec()
                .build();
        ResourceQuota created = harness.client().resource(noServices).create();
        // No kube-controller-manager runs here: the quota controller's first write, which admission needs.
        harness.client()
                .resource(new ResourceQuotaBuilder(created)
                        .withNewStatus()
                        .addToHard("services", new Quantity("0"))
                        .addToUsed("services", new Quantity("0"))
                        .endStatus()
                        .build())
                .updateStatus();
        harness.client().resource(Fleets.tokenSecret(ns)).create();
        RunnerFleet seed = Fleets.seed(ns);
        String name = seed.getMetadata().getName();
        harness.create(seed);

        RunnerFleet refused = harness.awaitFleet(
                ns,
                name,
                f -> f.getStatus() != null
                        && f.getStatus()
                                .condition(FleetConditionType.DEGRADED)
                                .filter(c -> "ApplyFailed".equals(c.reason()))
                                .isPresent());
        var degraded =
                refused.getStatus().condition(FleetConditionType.DEGRADED).orElseThrow();
        assertThat(degraded.status()).isEqualTo("True");
        assertThat(degraded.message())
                .startsWith("Writing services ")
                .contains("HTTP 403")
                .contains("no-services")
                .endsWith("Retried with back-off.");
        await().atMost(OperatorHarness.TIMEOUT)
                .untilAsserted(() -> assertThat(harness.client()
                                .v1()
                                .events()
                                .inNamespace(ns)
                                .list()
                                .getItems())
                        .anySatisfy(e -> {
                            assertThat(e.getReason()).isEqualTo("ApplyFailed");
                            assertThat(e.getType()).isEqualTo("Warning");
                        }));

        harness.client().resource(noServices).delete();
        harness.awaitFleet(
                ns,
                name,
                f -> f.getStatus()
                        .condition(FleetConditionType.DEGRADED)
                        .filter(c -> "AsExpected".equals(c.reason()) && "False".equals(c.status()))
                        .isPresent());
        assertThat(harness.client().services().inNamespace(ns).list().getItems())
                .isNotEmpty();
    }
}
