package io.runnerfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.testing.External;
import io.runnerfleet.testing.RealClusterFleet;
import io.runnerfleet.testing.gitlab.TestGitLab.JobView;
import io.runnerfleet.testing.gitlab.TestGitLab.State;
import io.runnerfleet.testing.gitlab.TestJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17: scaling a fleet down removes its idle managers first. Each manager keeps
 * {@code controller.kubernetes.io/pod-deletion-cost} on its own pod equal to its running jobs
 * ({@code manager.DeletionCost}), and the real ReplicaSet controller deletes the pods of lowest cost first. On the
 * real cluster: 3 managers of 1 job each, two of them running a long job, scaled to 2.
 *
 * <p>Without the annotation the ReplicaSet controller would pick among three equally old, ready pods on one node by
 * their age, so the idle one would go only by chance; the annotations' values are asserted first, so a manager that
 * stopped writing them fails here even when chance picks the idle pod.
 */
@External.RealCluster
class ScaleDownOnRealClusterTest {
    private static final int MANAGERS = 3;

    @TempDir
    Path work;

    private RealClusterFleet fleet;

    @AfterEach
    void stopFleet() {
        if (fleet != null) {
            fleet.keepManagerLogs("scaleDown");
            fleet.close();
        }
    }

    @Test
    void scalingThreeManagersToTwoRemovesTheIdleOneAndTheRunningJobsFinish() throws Exception {
        // One job per manager, so two jobs occupy two different managers and leave the third idle.
        fleet = RealClusterFleet.start(work, Map.of("README", "scale-down\n"), MANAGERS, 1);
        List<TestJob> jobs = List.of(longJob("first"), longJob("second"));
        jobs.forEach(job -> fleet.gitlab().enqueue(job));
        for (TestJob job : jobs) {
            await("job " + job.id() + " running")
                    .atMost(Duration.ofMinutes(3))
                    .until(() -> fleet.gitlab().traceText(job.id()).contains("started-" + job.id()));
        }
        Set<String> busy = jobs.stream()
                .map(job ->
                        fleet.jobPod(job.id()).getMetadata().getAnnotations().get(FleetLabels.MANAGER))
                .collect(Collectors.toSet());
        Set<String> all = podNames(fleet.managerPods());
        assertThat(busy).as("each job on its own manager").hasSize(2);
        assertThat(all).hasSize(MANAGERS).containsAll(busy);
        String idle =
                all.stream().filter(name -> !busy.contains(name)).findFirst().orElseThrow();

        await("each manager's pod-deletion-cost equals its running jobs")
                .atMost(Duration.ofSeconds(60))
                .until(this::deletionCosts, costs -> costs.equals(expectedCosts(idle, busy)));

        fleet.client()
                .resources(RunnerFleet.class)
                .inNamespace(fleet.namespace())
                .withName(RealClusterFleet.FLEET)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"managers\":{\"replicas\":2}}}");

        await("one manager pod going")
                .atMost(Duration.ofMinutes(2))
                .until(() -> fleet.managerPods().size() == MANAGERS - 1);
        assertThat(podNames(fleet.managerPods()))
                .as("the idle manager %s is the one removed", idle)
                .isEqualTo(busy);

        for (TestJob job : jobs) {
            JobView view = fleet.awaitFinal(job.id(), Duration.ofMinutes(3));
            String trace = fleet.gitlab().traceText(job.id());
            assertThat(view.state()).as(trace).isEqualTo(State.SUCCESS);
            assertThat(view.finalUpdates()).isEqualTo(1);
            assertThat(trace).contains("finished-" + job.id());
        }
        assertThat(podNames(fleet.managerPods()))
                .as("no manager was replaced while the jobs ran")
                .isEqualTo(busy);
    }

    /** Long enough to outlast the scale-down; it prints its job id ({@code CI_JOB_ID}) as it starts and ends. */
    private TestJob longJob(String name) {
        return fleet.job()
                .name(name)
                .script("echo started-$CI_JOB_ID", "sleep 45", "echo finished-$CI_JOB_ID")
                .build();
    }

    private static Map<String, String> expectedCosts(String idle, Set<String> busy) {
        Map<String, String> costs = new HashMap<>();
        costs.put(idle, "0");
        busy.forEach(name -> costs.put(name, "1"));
        return costs;
    }

    private Map<String, String> deletionCosts() {
        return fleet.managerPods().stream()
                .collect(Collectors.toMap(
                        pod -> pod.getMetadata().getName(),
                        pod -> pod.getMetadata()
                                .getAnnotations()
                                .getOrDefault("controller.kubernetes.io/pod-deletion-cost", "")));
    }

    private static Set<String> podNames(List<Pod> pods) {
        return pods.stream().map(pod -> pod.getMetadata().getName()).collect(Collectors.toSet());
    }
}
