package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pod, not the manager, holds the job: managers may die, stop or scale to zero without losing one. */
class JobSurvivalTest {
    private static final List<Long> JOBS =
            LongStream.rangeClosed(701, 705).boxed().toList();

    private ManagerHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    /** Section timestamps are wall-clock; everything else in a trace must be the same bytes. */
    private static String normalized(String trace) {
        return trace.replaceAll("section_(start|end):\\d+:", "section_$1:T:");
    }

    private Map<Long, String> referenceTraces() {
        try (ManagerHarness reference = new ManagerHarness()) {
            CountDownLatch open = new CountDownLatch(0);
            JOBS.forEach(id -> reference.kubelet.scenario(id, Scenarios.heldMidBuild(open)));
            JOBS.forEach(id -> reference.gitlab.enqueue(TestJob.builder(id).build()));
            reference.startManager("shop-manager-ref", reference.config(10));
            JOBS.forEach(id -> reference.awaitDone(id, Duration.ofSeconds(60)));
            Map<Long, String> traces = new HashMap<>();
            JOBS.forEach(id -> traces.put(id, normalized(reference.gitlab.traceText(id))));
            return traces;
        }
    }

    @Test
    void aManagerKilledMidJobLosesNothingAPeerAdoptsAllFiveWithIdenticalTraces() {
        Map<Long, String> reference = referenceTraces();
        harness = new ManagerHarness();
        CountDownLatch release = new CountDownLatch(1);
        JOBS.forEach(id -> harness.kubelet.scenario(id, Scenarios.heldMidBuild(release)));
        JOBS.forEach(id -> harness.gitlab.enqueue(TestJob.builder(id).build()));
        RunnerManager doomed = harness.startManager("shop-manager-a", harness.config(10));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> JOBS.stream()
                        .allMatch(id -> harness.gitlab.traceText(id).contains("ok  shop/cart")));

        doomed.crash();
        RunnerManager survivor = harness.startManager("shop-manager-b", harness.config(10));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> JOBS.stream()
                        .allMatch(id -> "shop-manager-b".equals(PodAdoption.managerOf(harness.jobPod(id)))));
        release.countDown();

        JOBS.forEach(id -> harness.awaitDone(id, Duration.ofSeconds(60)));
        for (long id : JOBS) {
            TestGitLab.JobView job = harness.gitlab.job(id);
            assertThat(job.state()).as("job %d", id).isEqualTo(TestGitLab.State.SUCCESS);
            assertThat(job.finalUpdates()).as("job %d final updates", id).isEqualTo(1);
            assertThat(normalized(harness.gitlab.traceText(id)))
                    .as("trace of job %d", id)
                    .isEqualTo(reference.get(id));
        }
        assertThat(survivor.metrics()
                        .registry()
                        .family("runner_fleet_jobs_adopted_total")
                        .value(ManagerHarness.FLEET))
                .isEqualTo(5);
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.leftovers().isEmpty());
    }

    @Test
    void sigtermHandsRunningJobsToAPeerWithinShutdownTimeout() throws Exception {
        harness = new ManagerHarness();
        CountDownLatch release = new CountDownLatch(1);
        JOBS.forEach(id -> harness.kubelet.scenario(id, Scenarios.heldMidBuild(release)));
        JOBS.forEach(id -> harness.gitlab.enqueue(TestJob.builder(id).build()));
        RunnerManager leaving = harness.startManager("shop-manager-a", harness.config(10));
        RunnerManager peer = null;
        await().atMost(Duration.ofSeconds(30))
                .until(() -> JOBS.stream()
                        .allMatch(id -> harness.gitlab.traceText(id).contains("ok  shop/cart")));
        peer = harness.startManager("shop-manager-b", harness.config(1));

        Instant start = Instant.now();
        leaving.handOverAndStop();
        Duration took = Duration.between(start, Instant.now());

        assertThat(took).as("shutdown_timeout is 3s in this config").isLessThan(Duration.ofSeconds(3));
        assertThat(JOBS.stream().allMatch(id -> harness.jobPod(id) != null))
                .as("pods keep running")
                .isTrue();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> JOBS.stream()
                        .allMatch(id -> "shop-manager-b".equals(PodAdoption.managerOf(harness.jobPod(id)))));
        release.countDown();
        JOBS.forEach(id -> harness.awaitDone(id, Duration.ofSeconds(60)));
        JOBS.forEach(id -> assertThat(harness.gitlab.job(id).finalUpdates()).isEqualTo(1));
        assertThat(peer.runningJobs().size()).isZero();
    }

    @Test
    void scaledToZeroTheJobsKeepRunningAndAReturningManagerReportsThem() {
        harness = new ManagerHarness();
        CountDownLatch release = new CountDownLatch(1);
        JOBS.forEach(id -> harness.kubelet.scenario(id, Scenarios.heldMidBuild(release)));
        JOBS.forEach(id -> harness.gitlab.enqueue(TestJob.builder(id).build()));
        RunnerManager only = harness.startManager("shop-manager-a", harness.config(10));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> JOBS.stream()
                        .allMatch(id -> harness.gitlab.traceText(id).contains("ok  shop/cart")));

        only.crash();
        release.countDown();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> JOBS.stream().allMatch(id -> isSucceeded(harness.jobPod(id))));
        assertThat(JOBS.stream().allMatch(id -> harness.gitlab.state(id) == TestGitLab.State.RUNNING))
                .as("no manager: GitLab still waits for the results")
                .isTrue();

        harness.startManager("shop-manager-c", harness.config(10));
        JOBS.forEach(id -> harness.awaitDone(id, Duration.ofSeconds(60)));
        JOBS.forEach(id -> {
            assertThat(harness.gitlab.state(id)).isEqualTo(TestGitLab.State.SUCCESS);
            assertThat(harness.gitlab.job(id).finalUpdates()).isEqualTo(1);
        });
    }

    @Test
    void podsOfFinishedOrCancelledJobsAreRemovedAndARunningJobsPodIsNeverTouched() {
        harness = new ManagerHarness();
        CountDownLatch release = new CountDownLatch(1);
        harness.kubelet.scenario(801, Scenarios.heldMidBuild(release));
        harness.gitlab.enqueue(TestJob.builder(801).build());
        harness.gitlab.enqueue(TestJob.builder(802).build());
        harness.gitlab.enqueue(TestJob.builder(803).build());
        RunnerManager running = harness.startManager("shop-manager-a", harness.config(1));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> harness.gitlab.traceText(801).contains("ok  shop/cart"));

        // Pods left by a manager that died long ago: job 802 was finished elsewhere, 803 cancelled for good.
        harness.gitlab.forceCancel(802);
        harness.gitlab.forceCancel(803);
        orphan(802, true);
        orphan(803, false);

        await().atMost(Duration.ofSeconds(20)).until(() -> harness.jobPod(802) == null && harness.jobPod(803) == null);
        assertThat(harness.jobPod(801)).as("the running job's pod").isNotNull();
        assertThat(PodAdoption.managerOf(harness.jobPod(801))).isEqualTo("shop-manager-a");
        assertThat(running.metrics()
                        .registry()
                        .family("runner_fleet_orphans_deleted_total")
                        .value(ManagerHarness.FLEET))
                .isEqualTo(2);
        release.countDown();
        harness.awaitDone(801, Duration.ofSeconds(30));
        assertThat(harness.gitlab.state(801)).isEqualTo(TestGitLab.State.SUCCESS);
    }

    private void orphan(long jobId, boolean withRecord) {
        String name = io.runnerfleet.jobpod.JobPodNames.podName(ManagerHarness.FLEET, jobId);
        if (withRecord) {
            harness.client()
                    .secrets()
                    .inNamespace(ManagerHarness.NAMESPACE)
                    .resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName(io.runnerfleet.jobpod.JobPodNames.secretName(ManagerHarness.FLEET, jobId))
                            .endMetadata()
                            .addToStringData(
                                    JobRecord.PAYLOAD_KEY,
                                    TestJob.builder(jobId).build().json())
                            .build())
                    .create();
        }
        harness.client()
                .pods()
                .inNamespace(ManagerHarness.NAMESPACE)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(Map.of(
                                FleetLabels.FLEET, ManagerHarness.FLEET, FleetLabels.JOB_ID, Long.toString(jobId)))
                        .withAnnotations(Map.of(FleetLabels.MANAGER, "shop-manager-gone"))
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("build")
                        .withImage("alpine")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
    }

    private static boolean isSucceeded(Pod pod) {
        return pod != null
                && pod.getStatus() != null
                && "Succeeded".equals(pod.getStatus().getPhase());
    }
}
