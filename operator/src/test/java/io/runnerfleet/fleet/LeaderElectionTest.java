package io.runnerfleet.fleet;

import static io.runnerfleet.fleet.OperatorHarness.observed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.operator.OperatorConfig;
import io.runnerfleet.testing.Fleets;
import io.runnerfleet.testing.MockTestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two operators with {@code --leader-election} on one namespace, as the chart runs them with replicaCount 2: only
 * the holder of the Lease reconciles; the other is a ready hot standby and takes over when the leader stops.
 */
class LeaderElectionTest {
    private static final String FLEET = "build-fleet";
    /** JOSDK's retry period is 2 s with up to 120% jitter: a released Lease is taken within about 4.4 s. */
    private static final Duration FAILOVER = Duration.ofSeconds(15);

    @Test
    void onlyTheLeaderReconcilesAndTheStandbyTakesOverWhenItStops() throws Exception {
        try (MockTestCluster cluster = MockTestCluster.start()) {
            String ns = cluster.createNamespace("leader");
            OperatorHarness first = OperatorHarness.start(cluster, config(ns, "operator-a"));
            OperatorHarness second = null;
            try {
                await().atMost(FAILOVER).until(() -> first.operator().isLeader());
                second = OperatorHarness.start(cluster, config(ns, "operator-b"));
                OperatorHarness standby = second;
                assertThat(holder(cluster, ns)).isEqualTo("operator-a");
                assertThat(standby.operator().isLeader()).isFalse();
                // A standby is ready: its caches are synced and it takes over without a restart.
                assertThat(get(first.operator().healthPort(), "/readyz")).isEqualTo("200 ok: leader\n");
                await().atMost(FAILOVER)
                        .until(
                                () -> get(standby.operator().healthPort(), "/readyz"),
                                body -> body.equals("200 ok: standby, leader is operator-a\n"));

                cluster.client().resource(Fleets.tokenSecret(ns)).create();
                first.create(Fleets.seed(ns));
                first.awaitFleet(ns, FLEET, observed(1));
                await().atMost(OperatorHarness.TIMEOUT).until(() -> first.deployment(ns, FLEET) != null);
                assertThat(first.reconciliations()).isPositive();
                // Give the standby every chance to do something: resyncs, events of the objects the leader made.
                Thread.sleep(1_000);
                assertThat(standby.reconciliations())
                        .as("reconciliations by the standby")
                        .isZero();

                long startedBefore = first.reconciliations();
                long stoppedAt = System.nanoTime();
                first.close();
                await().atMost(FAILOVER)
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> standby.operator().isLeader());
                Duration failover = Duration.ofNanos(System.nanoTime() - stoppedAt);
                System.out.printf("leader failover after a stop: %d ms%n", failover.toMillis());
                assertThat(holder(cluster, ns)).isEqualTo("operator-b");
                assertThat(get(standby.operator().healthPort(), "/readyz")).isEqualTo("200 ok: leader\n");

                RunnerFleet edited = standby.edit(ns, FLEET, f -> Fleets.with(f, "spec.managers.replicas", 4));
                standby.awaitFleet(ns, FLEET, observed(edited.getMetadata().getGeneration()));
                assertThat(standby.deployment(ns, FLEET).getSpec().getReplicas())
                        .isEqualTo(4);
                assertThat(standby.reconciliations()).isPositive();
                assertThat(first.reconciliations())
                        .as("reconciliations by the stopped leader")
                        .isEqualTo(startedBefore);
            } finally {
                first.close();
                if (second != null) {
                    second.close();
                }
            }
        }
    }

    @Test
    void withoutLeaderElectionNoLeaseIsTaken() {
        try (MockTestCluster cluster = MockTestCluster.start()) {
            String ns = cluster.createNamespace("no-leader");
            try (OperatorHarness harness = OperatorHarness.start(
                    cluster,
                    OperatorConfig.defaults().withWatchNamespaces(Set.of(ns)).withHealthPort(-1))) {
                assertThat(harness.operator().isLeader()).isTrue();
                assertThat(cluster.client()
                                .resources(Lease.class)
                                .inNamespace(ns)
                                .withName(OperatorConfig.LEASE_NAME)
                                .get())
                        .isNull();
            }
        }
    }

    private static OperatorConfig config(String ns, String identity) {
        return OperatorConfig.defaults()
                .withWatchNamespaces(Set.of(ns))
                .withHealthPort(0)
                .withLeaderElection(ns, identity);
    }

    private static String holder(MockTestCluster cluster, String ns) {
        Lease lease = cluster.client()
                .resources(Lease.class)
                .inNamespace(ns)
                .withName(OperatorConfig.LEASE_NAME)
                .get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }
}
