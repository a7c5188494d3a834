package io.runnerfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runnerfleet.api.v1alpha1.ConditionStatus;
import io.runnerfleet.api.v1alpha1.FleetConditionType;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.FleetObjects;
import io.runnerfleet.operator.OperatorConfig;
import io.runnerfleet.operator.RunnerFleetOperator;
import io.runnerfleet.testing.Examples;
import io.runnerfleet.testing.TestCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The seed's install, on any {@link TestCluster}: the operator runs in-process, {@code examples/seed-fleet.yaml}
 * is applied as a user would (its namespace first), and the fleet's objects and status appear.
 */
final class SeedFleetScenario {
    static final String NAMESPACE = "gitlab";
    static final String FLEET = "build-fleet";

    private SeedFleetScenario() {}

    static void run(TestCluster cluster, Duration timeout) throws IOException {
        KubernetesClient client = cluster.client();
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NAMESPACE)
                        .endMetadata()
                        .build())
                .create();
        OperatorConfig config =
                OperatorConfig.defaults().withWatchNamespaces(Set.of(NAMESPACE)).withHealthPort(-1);
        try (RunnerFleetOperator operator = RunnerFleetOperator.start(client, config)) {
            for (HasMetadata item : seed(client)) {
                client.resource(item).create();
            }

            RunnerFleet fleet = await().atMost(timeout)
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () -> client.resources(RunnerFleet.class)
                                    .inNamespace(NAMESPACE)
                                    .withName(FLEET)
                                    .get(),
                            f -> f != null
                                    && f.getStatus() != null
                                    && f.getStatus().observedGeneration() != null
                                    && tokenSecretFound(f));
            assertThat(fleet.getStatus().observedGeneration())
                    .isEqualTo(fleet.getMetadata().getGeneration());

            FleetObjects expected = FleetObjects.of(fleet, config.defaultsForFleets());
            for (HasMetadata want : expected.all()) {
                await(want.getKind() + " " + want.getMetadata().getName())
                        .atMost(timeout)
                        .until(() -> client.resource(want).get() != null);
            }
        }
    }

    private static boolean tokenSecretFound(RunnerFleet fleet) {
        return fleet.getStatus()
                .condition(FleetConditionType.TOKEN_SECRET_FOUND)
                .filter(c -> c.hasStatus(ConditionStatus.TRUE))
                .isPresent();
    }

    /** examples/seed-fleet.yaml as written: the token Secret, then the RunnerFleet. */
    private static List<HasMetadata> seed(KubernetesClient client) throws IOException {
        try (InputStream in = Files.newInputStream(Examples.path("seed-fleet.yaml"))) {
            return client.load(in).items().stream()
                    .map(item -> item instanceof GenericKubernetesResource generic
                                    && RunnerFleet.KIND.equals(generic.getKind())
                            ? (HasMetadata) Serialization.unmarshal(Serialization.asJson(generic), RunnerFleet.class)
                            : item)
                    .toList();
        }
    }
}
