package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.NamespaceOverwrite;
import io.runnerfleet.config.ManagerConfig;
import io.runnerfleet.jobpod.JobNamespace;
import io.runnerfleet.jobpod.JobPodNames;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job's {@code KUBERNETES_NAMESPACE_OVERWRITE} ({@code spec.executor.namespaceOverwrite}) on the managers: the Job
 * Pod and its Secret are created, followed and cleaned up in the namespace the job asks for, a peer adopts it there,
 * and a refused namespace fails the job before any pod, as gitlab-runner's {@code prepareOverwrites}.
 */
class NamespaceOverwriteTest {
    private static final String REVIEW = "ci-review";

    private ManagerHarness harness;
    /** Plays the Job Pods of {@link #REVIEW}; the harness's own kubelet plays those of the executor namespace. */
    private KubeletDriver reviewKubelet;

    @BeforeEach
    void start() {
        harness = new ManagerHarness();
        reviewKubelet = new KubeletDriver(harness.kube, REVIEW, harness.logFiles);
    }

    @AfterEach
    void stop() {
        reviewKubelet.close();
        harness.close();
    }

    private ManagerConfig allowingReview() {
        return harness.config(10, e -> e.namespaceOverwrite(new NamespaceOverwrite(List.of(REVIEW), "^ci-")));
    }

    private static TestJob.Builder asking(long id, String namespace) {
        return TestJob.builder(id).variable(JobNamespace.VARIABLE, namespace, true, false);
    }

    @Test
    void aJobsPodRunsInTheNamespaceItAsksForAndIsCleanedUpThere() {
        CountDownLatch release = new CountDownLatch(1);
        reviewKubelet.scenario(301, Scenarios.heldMidBuild(release));
        harness.startManager("shop-manager-a", allowingReview());
        harness.gitlab.enqueue(asking(301, REVIEW).build());

        await().atMost(Duration.ofSeconds(30)).until(() -> jobPodIn(REVIEW, 301) != null);
        assertThat(harness.client()
                        .secrets()
                        .inNamespace(REVIEW)
                        .withName(JobPodNames.secretName(ManagerHarness.FLEET, 301))
                        .get())
                .as("the job's Secret goes with its pod")
                .isNotNull();
        assertThat(harness.jobPod(301)).as("nothing in the executor namespace").isNull();
        release.countDown();

        harness.awaitDone(301, Duration.ofSeconds(30));
        assertThat(harness.gitlab.job(301).state()).isEqualTo(TestGitLab.State.SUCCESS);
        assertThat(harness.gitlab.traceText(301)).contains(REVIEW, "PASS");
        await().atMost(Duration.ofSeconds(10)).until(() -> leftoversIn(REVIEW).isEmpty());
        assertThat(harness.leftovers()).isEmpty();
    }

    @Test
    void aNamespaceTheExpressionDoesNotMatchFailsTheJobBeforeAnyPod() {
        harness.startManager("shop-manager-a", allowingReview());
        harness.gitlab.enqueue(asking(302, "kube-system").build());

        harness.awaitDone(302, Duration.ofSeconds(30));
        TestGitLab.JobView job = harness.gitlab.job(302);
        assertThat(job.state()).isEqualTo(TestGitLab.State.FAILED);
        assertThat(job.failureReason()).isIn("runner_configuration_error", "script_failure");
        assertThat(harness.gitlab.traceText(302))
                .contains("ERROR: Job failed: variable KUBERNETES_NAMESPACE_OVERWRITE: provided value "
                        + "\"kube-system\" does not match \"^ci-\" (spec.executor.namespaceOverwrite.pattern)");
        assertNoJobPodAnywhere(302);
    }

    @Test
    void aMatchingNamespaceThatIsNotListedFailsTheJobNamingTheList() {
        harness.startManager("shop-manager-a", allowingReview());
        harness.gitlab.enqueue(asking(303, "ci-other").build());

        harness.awaitDone(303, Duration.ofSeconds(30));
        assertThat(harness.gitlab.job(303).state()).isEqualTo(TestGitLab.State.FAILED);
        assertThat(harness.gitlab.traceText(303))
                .contains("ERROR: Job failed: variable KUBERNETES_NAMESPACE_OVERWRITE: namespace \"ci-other\" is not "
                        + "in spec.executor.namespaceOverwrite.allowed [ci-review]");
        assertNoJobPodAnywhere(303);
    }

    @Test
    void aPeerAdoptsAJobPodInAnAllowedNamespaceAfterItsManagerIsGone() {
        CountDownLatch release = new CountDownLatch(1);
        reviewKubelet.scenario(304, Scenarios.heldMidBuild(release));
        RunnerManager doomed = harness.startManager("shop-manager-a", allowingReview());
        harness.gitlab.enqueue(asking(304, REVIEW).build());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> harness.gitlab.traceText(304).contains("ok  shop/cart"));

        doomed.crash();
        harness.startManager("shop-manager-b", allowingReview());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "shop-manager-b".equals(PodAdoption.managerOf(jobPodIn(REVIEW, 304))));
        release.countDown();

        harness.awaitDone(304, Duration.ofSeconds(30));
        assertThat(harness.gitlab.job(304).state()).isEqualTo(TestGitLab.State.SUCCESS);
        assertThat(harness.gitlab.job(304).finalUpdates()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> leftoversIn(REVIEW).isEmpty());
    }

    private Pod jobPodIn(String namespace, long jobId) {
        return harness.client()
                .pods()
                .inNamespace(namespace)
                .withName(JobPodNames.podName(ManagerHarness.FLEET, jobId))
                .get();
    }

    private List<String> leftoversIn(String namespace) {
        List<String> names = new ArrayList<>();
        harness.client()
                .pods()
                .inNamespace(namespace)
                .withLabel(FleetLabels.JOB_ID)
                .list()
                .getItems()
                .forEach(p -> names.add("pod/" + p.getMetadata().getName()));
        harness.client()
                .secrets()
                .inNamespace(namespace)
                .list()
                .getItems()
                .forEach(s -> names.add("secret/" + s.getMetadata().getName()));
        return names;
    }

    private void assertNoJobPodAnywhere(long jobId) {
        assertThat(harness.client()
                        .pods()
                        .inAnyNamespace()
                        .withLabel(FleetLabels.JOB_ID, Long.toString(jobId))
                        .list()
                        .getItems())
                .isEmpty();
        // The job's record is written before anything else and deleted once its failure is reported.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(harness.client()
                                .secrets()
                                .inAnyNamespace()
                                .list()
                                .getItems())
                        .noneMatch(s -> s.getMetadata().getName().contains("-job-" + jobId)));
    }
}
