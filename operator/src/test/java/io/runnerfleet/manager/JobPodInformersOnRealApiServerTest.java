package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.FleetObjects;
import io.runnerfleet.desired.OperatorDefaults;
import io.runnerfleet.testing.External;
import io.runnerfleet.testing.Fleets;
import io.runnerfleet.testing.RealApiServer;
import io.runnerfleet.testing.RealApiServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The manager's Job Pod informers with the RBAC the operator grants, judged by a real API server's authorizer: a
 * listed namespace that does not exist (so no Role there, and the list is forbidden) neither fails the manager's
 * start nor keeps it unready, and a Job Pod in a listed namespace that exists is seen, for adoption.
 */
@External.ApiServer
@ExtendWith(RealApiServerExtension.class)
class JobPodInformersOnRealApiServerTest {
    private final RealApiServer server;

    JobPodInformersOnRealApiServerTest(RealApiServer server) {
        this.server = server;
    }

    @Test
    void aMissingListedNamespaceDoesNotStopTheManagerAndPodsElsewhereAreSeen() {
        KubernetesClient admin = server.admin();
        String fleetNamespace = server.createNamespace("fleet");
        String executor = server.createNamespace("executor");
        String review = server.createNamespace("review");
        String missing = "nowhere-" + review;
        RunnerFleet fleet = Fleets.with(
                Fleets.with(Fleets.seed(fleetNamespace), "spec.executor.namespace", executor),
                "spec.executor.namespaceOverwrite",
                Map.of("allowed", List.of(missing, review)));
        FleetObjects objects = FleetObjects.of(fleet, OperatorDefaults.forThisBuild());
        List<HasMetadata> rbac =
                new ArrayList<>(List.of(objects.serviceAccount(), objects.jobRole(), objects.jobRoleBinding()));
        // What the operator creates: nothing in the namespace that does not exist.
        objects.overwriteJobRoles().stream()
                .filter(r -> r.getMetadata().getNamespace().equals(review))
                .forEach(rbac::add);
        objects.overwriteJobRoleBindings().stream()
                .filter(b -> b.getMetadata().getNamespace().equals(review))
                .forEach(rbac::add);
        rbac.forEach(o -> admin.resource(o).create());
        String fleetName = fleet.getMetadata().getName();
        admin.pods()
                .inNamespace(review)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(fleetName + "-job-7")
                        .withLabels(Map.of(FleetLabels.FLEET, fleetName, FleetLabels.JOB_ID, "7"))
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("build")
                        .withImage("alpine:3.20")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();

        try (KubernetesClient manager = server.asServiceAccount(
                        fleetNamespace, objects.serviceAccount().getMetadata().getName());
                JobPodInformers informers = JobPodInformers.start(
                        manager,
                        JobPodInformers.namespaces(executor, fleet.getSpec().executor()),
                        fleetName)) {
            assertThat(informers.hasSynced())
                    .as("the executor namespace's informer is synced at start")
                    .isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> informers.lookup(fleetName + "-job-7") != null);
            assertThat(informers.list())
                    .singleElement()
                    .satisfies(p -> assertThat(p.getMetadata().getNamespace()).isEqualTo(review));
        }
    }
}
