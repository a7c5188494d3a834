package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.runnerfleet.jobpod.JobPodNames;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A manager that dies after writing a job's record and before creating its Job Pod (issue #18's soak lost such
 * jobs): a peer, or the same pod restarted, makes the pod from the record and the job runs once, with a complete
 * trace that says it was resumed (docs/job-survival.md).
 */
class PodlessJobResumeTest {
    private static final long JOB = 901;
    /** What the simulated kubelet writes for the job (Scenarios.heldMidBuild), each once in a complete trace. */
    private static final List<String> JOB_LINES =
            List.of("Checking out 3f2c1e9a", "$ make test", "running 3 tests", "ok  shop/cart", "ok  shop/pay", "PASS");

    private ManagerHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aPeerMakesThePodOfAJobWhoseManagerDiedBetweenItsRecordAndItsPod() {
        RunnerManager survivor = killedBeforeThePodThenResumedBy("shop-manager-b");

        assertRanOnceWithACompleteTrace("shop-manager-b");
        assertThat(survivor.metrics()
                        .registry()
                        .family("runner_fleet_jobs_adopted_total")
                        .value(ManagerHarness.FLEET))
                .isEqualTo(1);
    }

    @Test
    void theSamePodRestartedResumesItsOwnRecordWithoutWaitingForItsLease() {
        killedBeforeThePodThenResumedBy("shop-manager-a");

        assertRanOnceWithACompleteTrace("shop-manager-a");
    }

    private RunnerManager killedBeforeThePodThenResumedBy(String resumer) {
        harness = new ManagerHarness();
        CountDownLatch release = new CountDownLatch(1);
        harness.kubelet.scenario(JOB, Scenarios.heldMidBuild(release));
        harness.gitlab.enqueue(TestJob.builder(JOB).build());
        PodCreateHold hold = new PodCreateHold(true);
        RunnerManager doomed = harness.startManager("shop-manager-a", harness.config(10), hold);
        await().atMost(Duration.ofSeconds(30)).until(() -> hold.held() == 1);
        assertThat(JobRecord.managerOf(record())).isEqualTo("shop-manager-a");
        assertThat(record().getMetadata().getLabels()).containsEntry(JobRecord.AWAITING_POD, "true");

        doomed.crash();
        RunnerManager resuming = harness.startManager(resumer);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> harness.gitlab.traceText(JOB).contains("ok  shop/cart"));
        assertThat(record().getMetadata().getLabels())
                .as("the record no longer awaits its pod")
                .containsEntry(JobRecord.AWAITING_POD, "false");
        assertThat(record().getMetadata().getOwnerReferences())
                .extracting(o -> o.getName())
                .containsExactly(JobPodNames.podName(ManagerHarness.FLEET, JOB));
        release.countDown();
        harness.awaitDone(JOB, Duration.ofSeconds(60));
        return resuming;
    }

    private void assertRanOnceWithACompleteTrace(String resumer) {
        TestGitLab.JobView job = harness.gitlab.job(JOB);
        assertThat(job.state()).isEqualTo(TestGitLab.State.SUCCESS);
        assertThat(job.finalUpdates()).isEqualTo(1);
        assertThat(harness.kube.requests().stream()
                        .filter(r ->
                                "POST".equals(r.method()) && r.path().matches("/api/v1/namespaces/ci/pods(\\?.*)?"))
                        .count())
                .as("Job Pods created")
                .isEqualTo(1);
        String trace = harness.gitlab.traceText(JOB);
        assertThat(trace)
                .contains("Resumed by runner manager " + resumer
                        + ": the manager that received the job (shop-manager-a) stopped before creating its Job Pod");
        for (String line : JOB_LINES) {
            assertThat(trace.indexOf(line)).as("%s in %s", line, trace).isNotNegative();
            assertThat(trace.indexOf(line, trace.indexOf(line) + 1))
                    .as("%s twice in %s", line, trace)
                    .isNegative();
        }
        String[] lines = trace.strip().split("\n");
        assertThat(lines[lines.length - 1]).contains("Job succeeded");
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.leftovers().isEmpty());
    }

    private Secret record() {
        return harness.client()
                .secrets()
                .inNamespace(ManagerHarness.NAMESPACE)
                .withName(JobPodNames.secretName(ManagerHarness.FLEET, JOB))
                .get();
    }
}
