package io.runnerfleet.fleet;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.runnerfleet.api.v1alpha1.FleetCondition;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.operator.OperatorConfig;
import io.runnerfleet.operator.RunnerFleetOperator;
import io.runnerfleet.testing.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** Starts the real operator in-process against a {@link TestCluster} and reads what it did. */
final class OperatorHarness implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final TestCluster cluster;
    private final RunnerFleetOperator operator;

    private OperatorHarness(TestCluster cluster, RunnerFleetOperator operator) {
        this.cluster = cluster;
        this.operator = operator;
    }

    static OperatorHarness start(TestCluster cluster, OperatorConfig config) {
        return new OperatorHarness(cluster, RunnerFleetOperator.start(cluster.client(), config));
    }

    static OperatorHarness start(TestCluster cluster, String... namespaces) {
        return start(
                cluster,
                OperatorConfig.defaults()
                        .withWatchNamespaces(Set.of(namespaces))
                        .withHealthPort(-1));
    }

    RunnerFleetOperator operator() {
        return operator;
    }

    KubernetesClient client() {
        return cluster.client();
    }

    RunnerFleet create(RunnerFleet fleet) {
        return client().resource(fleet).create();
    }

    RunnerFleet get(String namespace, String name) {
        return client().resources(RunnerFleet.class)
                .inNamespace(namespace)
                .withName(name)
                .get();
    }

    /**
     * Changes the fleet's spec the way kubectl edit does: read, change, update with the resourceVersion; on a
     * conflict (the operator wrote the status or a finalizer meanwhile) read again and retry, as a human would.
     */
    RunnerFleet edit(String namespace, String name, UnaryOperator<RunnerFleet> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return client().resource(change.apply(get(namespace, name))).update();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    Deployment deployment(String namespace, String fleetName) {
        return client().apps()
                .deployments()
                .inNamespace(namespace)
                .withName(fleetName + "-manager")
                .get();
    }

    /** Waits until the fleet's status satisfies {@code expectation}, and returns the fleet. */
    RunnerFleet awaitFleet(String namespace, String name, Predicate<RunnerFleet> expectation) {
        return await().atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> get(namespace, name), f -> f != null && expectation.test(f));
    }

    static Predicate<RunnerFleet> condition(String type, String status, String reason) {
        return fleet -> condition(fleet, type)
                .filter(c -> c.status().equals(status) && (reason == null || reason.equals(c.reason())))
                .isPresent();
    }

    static Predicate<RunnerFleet> observed(long generation) {
        return fleet -> fleet.getStatus() != null
                && fleet.getStatus().observedGeneration() != null
                && fleet.getStatus().observedGeneration() >= generation;
    }

    static Optional<FleetCondition> condition(RunnerFleet fleet, String type) {
        return fleet.getStatus() == null
                ? Optional.empty()
                : fleet.getStatus().conditions().stream()
                        .filter(c -> c.type().equals(type))
                        .findFirst();
    }

    List<Event> events(String namespace, String reason) {
        return client().v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason()))
                .toList();
    }

    /** Reconciliations the operator has run so far, from JOSDK's Micrometer metrics. */
    long reconciliations() {
        return (long) operator.registry().getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("operator.sdk.reconciliations.started"))
                .mapToDouble(m -> m instanceof Counter c ? c.count() : m instanceof Timer t ? t.count() : 0)
                .sum();
    }

    @Override
    public void close() {
        operator.close();
    }
}
