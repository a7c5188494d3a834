package io.runnerfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.DesiredWarmCapacity;
import io.runnerfleet.jobpod.JobPodFootprints;
import io.runnerfleet.testing.External;
import io.runnerfleet.testing.Fleets;
import io.runnerfleet.testing.RealClusterFleet;
import io.runnerfleet.testing.RealNodeCluster;
import io.runnerfleet.testing.gitlab.TestGitLab.JobView;
import io.runnerfleet.testing.gitlab.TestGitLab.State;
import io.runnerfleet.testing.gitlab.TestJob;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.warmCapacity on a real kube-scheduler: the fleet's Job Pod is sized so that one pause pod fits on the node
 * beside the managers and a second pod of that size does not; the Job Pod then starts only by preempting the pause
 * pod, which the scheduler records as a {@code Preempted} event on it.
 */
@External.RealCluster
class WarmCapacityOnRealClusterTest {
    /** The helper's request in RealClusterFleet's fleet: with the build's, the Job Pod's CPU footprint. */
    private static final long HELPER_MILLICORES = 10;

    @TempDir
    Path work;

    @Test
    void aJobPodPreemptsAPausePodAndStartsOnItsReservation() throws Exception {
        RealNodeCluster cluster = RealNodeCluster.shared();
        KubernetesClient client = cluster.client();
        // Room left for Job Pods once the fleet's two managers (100m each, their default request) run, with 50m
        // spare; a Job Pod of 60% of it: one fits, two do not.
        long room = freeMillicores(client, cluster.nodeName()) - 2 * 100 - 50;
        long footprint = room * 6 / 10;
        assertThat(footprint - HELPER_MILLICORES)
                .as("build cpu request (room %dm)", room)
                .isGreaterThan(50);
        try (RealClusterFleet fleet = RealClusterFleet.start(
                work,
                Map.of("README", "warm\n"),
                null,
                f -> warm(f, footprint - HELPER_MILLICORES, cluster.pauseImage()))) {
            String ns = fleet.namespace();
            Map<String, String> selector = Map.of("app.kubernetes.io/component", DesiredWarmCapacity.COMPONENT);
            Pod pause = await("a running pause pod")
                    .atMost(Duration.ofMinutes(2))
                    .until(() -> runningPod(client, ns, selector), p -> p != null);
            await("status.warmCapacity shows it").atMost(Duration.ofMinutes(1)).until(() -> {
                RunnerFleet f = client.resources(RunnerFleet.class)
                        .inNamespace(ns)
                        .withName(RealClusterFleet.FLEET)
                        .get();
                return f.getStatus() != null
                        && f.getStatus().warmCapacity() != null
                        && f.getStatus().warmCapacity().ready() == 1
                        && f.getStatus().warmCapacity().desired() == 1;
            });
            assertThat(freeMillicores(client, cluster.nodeName()))
                    .as("with the pause pod running, a Job Pod (%dm) does not fit beside it", footprint)
                    .isLessThan(footprint);

            TestJob job = fleet.job()
                    .name("warm")
                    .script("echo started in the warm room")
                    .build();
            JobView view = fleet.run(job, Duration.ofMinutes(4));

            String trace = fleet.gitlab().traceText(job.id());
            assertThat(view.state()).as(trace).isEqualTo(State.SUCCESS);
            assertThat(trace).contains("started in the warm room");
            String victim = pause.getMetadata().getName();
            List<Event> preempted = await("the scheduler's Preempted event on " + victim)
                    .atMost(Duration.ofMinutes(1))
                    .until(
                            () -> client
                                    .v1()
                                    .events()
                                    .inNamespace(ns)
                                    .withField("involvedObject.name", victim)
                                    .list()
                                    .getItems()
                                    .stream()
                                    .filter(e -> "Preempted".equals(e.getReason()))
                                    .toList(),
                            events -> !events.isEmpty());
            assertThat(preempted.get(0).getMessage()).contains("Preempted by pod");
        }
    }

    private static RunnerFleet warm(RunnerFleet fleet, long buildMillicores, String pauseImage) {
        RunnerFleet sized = Fleets.with(fleet, "spec.executor.build.cpuRequest", buildMillicores + "m");
        return Fleets.with(
                sized, "spec.warmCapacity", Map.of("image", pauseImage, "policies", List.of(Map.of("idleCount", 1))));
    }

    private static Pod runningPod(KubernetesClient client, String ns, Map<String, String> labels) {
        return client.pods().inNamespace(ns).withLabels(labels).list().getItems().stream()
                .filter(p ->
                        p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
                .findFirst()
                .orElse(null);
    }

    /** The node's allocatable CPU less the requests of every pod on it that has not ended, in millicores. */
    private static long freeMillicores(KubernetesClient client, String nodeName) {
        Node node = client.nodes().withName(nodeName).get();
        BigDecimal free = node.getStatus().getAllocatable().get("cpu").getNumericalAmount();
        for (Pod pod : client.pods()
                .inAnyNamespace()
                .withField("spec.nodeName", nodeName)
                .list()
                .getItems()) {
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                continue;
            }
            Quantity cpu = JobPodFootprints.requests(pod.getSpec()).get("cpu");
            if (cpu != null) {
                free = free.subtract(cpu.getNumericalAmount());
            }
        }
        return free.multiply(BigDecimal.valueOf(1000)).longValue();
    }
}
