package io.runnerfleet.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.DesiredJobDisruptionBudget;
import io.runnerfleet.gitlab.job.JobPayloadReader;
import io.runnerfleet.jobpod.JobPodBuilder;
import io.runnerfleet.jobpod.JobPodContext;
import io.runnerfleet.testing.Examples;
import io.runnerfleet.testing.External;
import io.runnerfleet.testing.RealApiServer;
import io.runnerfleet.testing.RealApiServerExtension;
import io.runnerfleet.validation.FleetLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kubectl drain} evicts each pod through the eviction API and retries on 429: here the real API server
 * judges the fleet's job budget (desired.DesiredJobDisruptionBudget) against a Job Pod built by the real builder.
 * No controllers run here, so the test plays two of them: the kubelet (the pod Running and Ready: the server lets
 * Pending pods go whatever the budget) and the disruption controller (the budget's status as it computes it for
 * {@code maxUnavailable: 0} and one healthy pod: no disruption allowed).
 */
@External.ApiServer
@ExtendWith(RealApiServerExtension.class)
class JobDisruptionOnRealApiServerTest {
    private static KubernetesClient client;
    private static RealApiServer server;

    @BeforeAll
    static void start(RealApiServer realApiServer) {
        server = realApiServer;
        client = server.admin();
    }

    @Test
    void aRunningProtectedJobPodIsRefusedEvictionUntilItLosesTheLabel() {
        String namespace = server.createNamespace("drain");
        RunnerFleet fleet = fleet(namespace, "");
        PodDisruptionBudget budget =
                client.resource(DesiredJobDisruptionBudget.build(fleet)).create();
        Pod pod = runningJobPod(fleet);
        settleBudget(budget, 1);

        assertThat(evict(pod))
                .as("eviction of a running protected Job Pod (429 from the server)")
                .isFalse();
        assertThat(client.resource(pod).get()).isNotNull();

        // What the release past maxWait does: the label comes off, so the budget selects the pod no more.
        client.pods()
                .inNamespace(namespace)
                .withName(pod.getMetadata().getName())
                .edit(p -> new PodBuilder(p)
                        .editMetadata()
                        .removeFromLabels(FleetLabels.DISRUPTION_PROTECTED)
                        .endMetadata()
                        .build());
        settleBudget(budget, 0);

        assertThat(evict(pod))
                .as("eviction once the budget no longer selects the pod")
                .isTrue();
    }

    @Test
    void anUnprotectedFleetsJobPodIsEvictedDespiteItsBudget() {
        String namespace = server.createNamespace("drain");
        RunnerFleet fleet = fleet(namespace, "disruption: {protect: false}");
        PodDisruptionBudget budget =
                client.resource(DesiredJobDisruptionBudget.build(fleet)).create();
        Pod pod = runningJobPod(fleet);
        settleBudget(budget, 0);

        assertThat(pod.getMetadata().getLabels()).doesNotContainKey(FleetLabels.DISRUPTION_PROTECTED);
        assertThat(pod.getMetadata().getAnnotations()).doesNotContainKey(FleetLabels.SAFE_TO_EVICT);
        assertThat(evict(pod)).isTrue();
    }

    private static RunnerFleet fleet(String namespace, String executorLine) {
        String yaml = """
                apiVersion: runnerfleet.io/v1alpha1
                kind: RunnerFleet
                metadata: {name: drain-fleet, namespace: %s}
                spec:
                  gitlab:
                    url: http://gitlab.example.com/
                    tokenSecretRef: {name: drain-fleet-token}
                  executor:
                    image: alpine:3.20
                    %s
                """.formatted(namespace, executorLine);
        return new FleetLoader().load("drain-fleet.yaml", yaml).get(0);
    }

    /** The Job Pod of an example job as a manager creates it, then Running as a kubelet would report it. */
    private static Pod runningJobPod(RunnerFleet fleet) {
        Pod built = JobPodBuilder.build(
                        JobPayloadReader.read(Examples.path("jobs/kubectl-deploy.json")), JobPodContext.forFleet(fleet))
                .pod();
        Pod created = client.resource(built).create();
        // Ready as well: the server lets a not-ready pod go while its budget is healthy (IfHealthyBudget).
        created.setStatus(new PodStatusBuilder()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .build());
        return client.resource(created).updateStatus();
    }

    /** The disruption controller's verdict on a budget of maxUnavailable 0 that selects {@code selected} pods. */
    private static void settleBudget(PodDisruptionBudget budget, int selected) {
        PodDisruptionBudget current = client.resource(budget).get();
        current.setStatus(new PodDisruptionBudgetStatusBuilder()
                .withObservedGeneration(current.getMetadata().getGeneration())
                .withExpectedPods(selected)
                .withCurrentHealthy(selected)
                .withDesiredHealthy(selected)
                .withDisruptionsAllowed(0)
                .build());
        client.resource(current).updateStatus();
    }

    private static boolean evict(Pod pod) {
        return client.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .evict();
    }
}
