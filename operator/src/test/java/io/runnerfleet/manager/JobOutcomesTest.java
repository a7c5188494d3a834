package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.runnerfleet.jobpod.JobPodNames;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import io.runnerfleet.testing.kubelet.KubeletLogDispatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How each way a Job Pod can end becomes GitLab's result, and that nothing is left behind on any path. */
class JobOutcomesTest {
    private final ManagerHarness harness = new ManagerHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    private TestGitLab.JobView run(long id, KubeletDriver.Scenario scenario, ManagerHarnessConfig config) {
        harness.kubelet.scenario(id, scenario);
        harness.startManager("shop-manager-a", config.apply(harness));
        harness.gitlab.enqueue(TestJob.builder(id).build());
        harness.awaitDone(id, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.leftovers().isEmpty());
        return harness.gitlab.job(id);
    }

    private TestGitLab.JobView run(long id, KubeletDriver.Scenario scenario) {
        return run(id, scenario, h -> h.config(10));
    }

    @FunctionalInterface
    interface ManagerHarnessConfig {
        io.runnerfleet.config.ManagerConfig apply(ManagerHarness harness);
    }

    @Test
    void scriptFailureReportsTheExitCode() {
        TestGitLab.JobView job = run(201, Scenarios.exits(3));
        assertThat(job.state()).isEqualTo(TestGitLab.State.FAILED);
        assertThat(job.failureReason()).isEqualTo("script_failure");
        assertThat(job.exitCode()).isEqualTo(3);
        assertThat(job.finalUpdates()).isEqualTo(1);
        assertThat(harness.gitlab.traceText(201))
                .contains(
                        "upload_artifacts_on_failure",
                        "Uploading artifacts for failed job",
                        "ERROR: Job failed: exit code 3");
    }

    @Test
    void imagePullFailureFailsWithinSecondsWithThePodsWarningEvents() {
        String pod = JobPodNames.podName(ManagerHarness.FLEET, 202);
        harness.client()
                .v1()
                .events()
                .inNamespace(ManagerHarness.NAMESPACE)
                .resource(new EventBuilder()
                        .withNewMetadata()
                        .withName(pod + ".pull")
                        .withNamespace(ManagerHarness.NAMESPACE)
                        .endMetadata()
                        .withType("Warning")
                        .withReason("Failed")
                        .withMessage("Failed to pull image \"registry.example.com/nope\": not found")
                        .withNewInvolvedObject()
                        .withKind("Pod")
                        .withName(pod)
                        .endInvolvedObject()
                        .build())
                .create();
        Instant start = Instant.now();
        TestGitLab.JobView job = run(202, Scenarios.imagePullError());
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(15));
        assertThat(job.failureReason()).isEqualTo("image_pull_failure");
        assertThat(harness.gitlab.traceText(202))
                .contains(
                        "ErrImagePull",
                        "pull access denied",
                        "Warning Failed: Failed to pull image \"registry.example.com/nope\": not found");
    }

    @Test
    void aBuildKilledAsAWholeEndsTheJobAtOnceAsASystemFailureThatSaysSo() {
        TestGitLab.JobView job = run(213, Scenarios.buildKilledAsAWhole());
        assertThat(job.state()).isEqualTo(TestGitLab.State.FAILED);
        assertThat(job.failureReason()).isEqualTo("runner_system_failure");
        assertThat(job.finalUpdates()).isEqualTo(1);
        assertThat(harness.gitlab.traceText(213))
                .contains(
                        "test 1 ok",
                        "ERROR: Job failed (system failure): Error in container build: exit code: 137, reason:"
                                + " 'Error'");
    }

    @Test
    void aPullFailureMakesTheJobPodAgainWithTheNextPullPolicyAndSaysSo() {
        harness.kubelet.scenario(214, Scenarios.buildImagePullsOnlyWith("IfNotPresent"));
        harness.startManager("shop-manager-a");
        harness.gitlab.enqueue(TestJob.builder(214)
                .image("registry.example.com/only-local:1", "always", "if-not-present")
                .build());
        harness.awaitDone(214, Duration.ofSeconds(30));

        TestGitLab.JobView job = harness.gitlab.job(214);
        String trace = harness.gitlab.traceText(214);
        assertThat(job.state()).as(trace).isEqualTo(TestGitLab.State.SUCCESS);
        assertThat(job.finalUpdates()).isEqualTo(1);
        assertThat(trace)
                .contains("WARNING: Failed to pull image \"registry.example.com/only-local:1\" for container \"build\""
                        + " with policy \"Always\": image pull failed: failed to resolve reference")
                .contains("Attempt #2: Trying \"IfNotPresent\" pull policy for \"registry.example.com/only-local:1\""
                        + " image for container \"build\"")
                .contains("Uploading artifacts for successful job");
        assertThat(harness.kube.requests())
                .filteredOn(r -> r.method().equals("POST") && r.path().endsWith("/pods"))
                .hasSize(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.leftovers().isEmpty());
    }

    @Test
    void aPullFailureWithNoPolicyLeftIsAnImagePullFailure() {
        harness.kubelet.scenario(215, Scenarios.buildImagePullsOnlyWith("Never"));
        harness.startManager("shop-manager-a");
        harness.gitlab.enqueue(TestJob.builder(215)
                .image("registry.example.com/only-local:1", "always", "if-not-present")
                .failureReasons("image_pull_failure")
                .build());
        harness.awaitDone(215, Duration.ofSeconds(30));

        TestGitLab.JobView job = harness.gitlab.job(215);
        String trace = harness.gitlab.traceText(215);
        assertThat(job.failureReason()).as(trace).isEqualTo("image_pull_failure");
        assertThat(trace)
                .contains("Attempt #2: Trying \"IfNotPresent\"")
                .doesNotContain("Attempt #3")
                .contains("cannot pull image registry.example.com/only-local:1 (ErrImagePull)");
        assertThat(harness.kube.requests())
                .filteredOn(r -> r.method().equals("POST") && r.path().endsWith("/pods"))
                .hasSize(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.leftovers().isEmpty());
    }

    @Test
    void aServiceCrashingDuringTheBuildLeavesTheResultToTheScriptAndTheTraceNamesIt() {
        harness.kubelet.scenario(216, Scenarios.serviceCrashesDuringTheBuild("redis"));
        harness.startManager("shop-manager-a");
        harness.gitlab.enqueue(TestJob.builder(216).service("redis:7", "redis").build());
        harness.awaitDone(216, Duration.ofSeconds(30));

        TestGitLab.JobView job = harness.gitlab.job(216);
        String trace = harness.gitlab.traceText(216);
        assertThat(job.state()).as(trace).isEqualTo(TestGitLab.State.SUCCESS);
        assertThat(trace)
                .contains("ok  shop/cart")
                .contains("WARNING: service redis (redis:7) exited with code 1 (Error): listen tcp :6379: address"
                        + " already in use; Kubernetes restarted it 2 times. A service that exits does not fail the"
                        + " job by itself");
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.leftovers().isEmpty());
    }

    @Test
    void pendingPastThePollTimeoutIsASystemFailureThatSaysWhy() {
        TestGitLab.JobView job = run(203, Scenarios.unschedulable(), h -> h.config(10, 2, 4096));
        assertThat(job.failureReason()).isEqualTo("runner_system_failure");
        assertThat(harness.gitlab.traceText(203))
                .contains("timed out waiting for pod to start", "Unschedulable", "Insufficient cpu");
    }

    @Test
    void aResourceQuotaRefusalIsASystemFailureWithTheReason() {
        harness.kube
                .server()
                .expect()
                .post()
                .withPath("/api/v1/namespaces/ci/pods")
                .andReturn(
                        403,
                        new StatusBuilder()
                                .withStatus("Failure")
                                .withCode(403)
                                .withReason("Forbidden")
                                .withMessage("pods \"shop-job-204\" is forbidden: exceeded quota: ci-quota, requested: "
                                        + "limits.cpu=4500m, used: limits.cpu=30, limited: limits.cpu=32")
                                .build())
                .once();
        TestGitLab.JobView job = run(204, Scenarios.success());
        assertThat(job.failureReason()).isEqualTo("runner_system_failure");
        assertThat(harness.gitlab.traceText(204)).contains("exceeded quota");
    }

    @Test
    void deadlineKillIsAJobTimeout() {
        TestGitLab.JobView job = run(205, Scenarios.deadlineMidBuild());
        assertThat(job.failureReason()).isEqualTo("job_execution_timeout");
        assertThat(harness.gitlab.traceText(205)).contains("$ sleep 100000", "timeout");
    }

    @Test
    void theScriptTimerStoppingTheScriptIsAJobTimeoutAfterAfterScriptAndUploads() {
        TestGitLab.JobView job = run(211, Scenarios.scriptTimedOut());
        assertThat(job.state()).isEqualTo(TestGitLab.State.FAILED);
        assertThat(job.failureReason()).isEqualTo("job_execution_timeout");
        assertThat(job.exitCode()).isNull();
        assertThat(harness.gitlab.traceText(211))
                .contains(
                        "status=timedout",
                        "Uploading artifacts for failed job",
                        "ERROR: Job failed: execution took longer than 1h0m0s seconds");
    }

    @Test
    void aGracefulCancelLetsAfterScriptAndUploadsRunThenReportsTheJobCanceled() {
        String pod = JobPodNames.podName(ManagerHarness.FLEET, 212);
        String podPath = "/api/v1/namespaces/" + ManagerHarness.NAMESPACE + "/pods/" + pod;
        // The first DELETE (the cancel's, with its grace period) leaves the pod running, as the kubelet does until
        // its containers are done; the cleanup's DELETE then removes it.
        harness.kube
                .server()
                .expect()
                .delete()
                .withPath(podPath)
                .andReturn(200, "{}")
                .once();
        harness.kubelet.scenario(
                212,
                Scenarios.canceledGracefully(() -> harness.kube.requests().stream()
                        .anyMatch(r -> r.method().equals("DELETE") && r.path().startsWith(podPath))));
        harness.startManager("shop-manager-a");
        harness.gitlab.enqueue(TestJob.builder(212).build());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> harness.gitlab.traceText(212).contains("tick 3"));

        harness.gitlab.cancel(212);

        harness.awaitDone(212, Duration.ofSeconds(30));
        TestGitLab.JobView job = harness.gitlab.job(212);
        assertThat(job.state()).isEqualTo(TestGitLab.State.CANCELED);
        assertThat(job.failureReason()).isEqualTo("unknown_failure"); // job_canceled, which GitLab does not list
        assertThat(job.exitCode()).isNull();
        assertThat(harness.gitlab.traceText(212))
                .contains("status=canceled", "helper: uploading on_failure artifacts", "ERROR: Job failed: canceled");
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.leftovers().isEmpty());
    }

    @Test
    void aFinishedJobPodIsDeletedWithTheCleanupGracePeriod() {
        // gitlab-runner's cleanupResources passes cleanup_grace_period_seconds to the pod's delete
        // (executors/kubernetes/kubernetes.go, DeleteOptions.GracePeriodSeconds).
        TestGitLab.JobView job =
                run(240, Scenarios.exits(0), h -> h.config(10, executor -> executor.cleanupGracePeriodSeconds(7L)));
        assertThat(job.state()).isEqualTo(TestGitLab.State.SUCCESS);
        assertThat(podDeleteBodies(240))
                .isNotEmpty()
                .allSatisfy(body -> assertThat(body).contains("\"gracePeriodSeconds\":7"));
    }

    @Test
    void withoutCleanupGracePeriodAFinishedJobPodIsDeletedAtOnce() {
        // Where gitlab-runner leaves the pod's own grace period, runner-fleet deletes with 0: the containers have
        // exited (README, "Every [runners.kubernetes] key").
        run(241, Scenarios.exits(0));
        assertThat(podDeleteBodies(241))
                .isNotEmpty()
                .allSatisfy(body -> assertThat(body).contains("\"gracePeriodSeconds\":0"));
    }

    private List<String> podDeleteBodies(long jobId) {
        String podPath = "/api/v1/namespaces/" + ManagerHarness.NAMESPACE + "/pods/"
                + JobPodNames.podName(ManagerHarness.FLEET, jobId);
        return harness.kube.requests().stream()
                .filter(r -> r.method().equals("DELETE") && r.path().startsWith(podPath))
                .filter(r -> ManagerHarness.MANAGER_USER_AGENT.equals(r.userAgent()))
                .map(KubeletLogDispatcher.ApiRequest::deleteBody)
                .toList();
    }

    @Test
    void aRefusedFirstRunningUpdateStopsTheJobBeforeAPodIsCreated() {
        harness.startManager("shop-manager-a");
        for (int status : new int[] {403, 404, 409}) {
            long id = 220L + status % 100;
            harness.gitlab.enqueue(TestJob.builder(id).build());
            harness.gitlab.answerNextRunningUpdate(id, status);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> harness.gitlab.job(id).handedOut()
                            && harness.gitlab.job(id).puts() >= 1);
        }
        harness.gitlab.enqueue(TestJob.builder(230).build());
        harness.awaitDone(230, Duration.ofSeconds(30));
        for (long id : new long[] {223, 224, 229}) {
            assertThat(harness.gitlab.job(id).finalUpdates()).as("job %s", id).isZero();
            assertThat(harness.client()
                            .pods()
                            .inNamespace(ManagerHarness.NAMESPACE)
                            .withName(JobPodNames.podName(ManagerHarness.FLEET, id))
                            .get())
                    .isNull();
        }
        // only job 230's pod was ever created
        assertThat(harness.kube.requests())
                .filteredOn(r -> r.method().equals("POST") && r.path().endsWith("/pods"))
                .hasSize(1);
    }

    @Test
    void cancelInGitLabStopsThePodAndEndsTheJob() {
        harness.kubelet.scenario(206, Scenarios.runsUntilDeleted());
        harness.startManager("shop-manager-a");
        harness.gitlab.enqueue(TestJob.builder(206).build());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> harness.gitlab.traceText(206).contains("tick 3"));

        harness.gitlab.cancel(206);

        harness.awaitDone(206, Duration.ofSeconds(30));
        assertThat(harness.gitlab.state(206)).isEqualTo(TestGitLab.State.CANCELED);
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.leftovers().isEmpty());
    }

    @Test
    void aMaskedValueNeverReachesTheTrace() {
        String secret = "hunter2-s3cr3t-VALUE";
        harness.kubelet.scenario(207, Scenarios.prints("password is " + secret + " and " + secret.substring(0, 7)));
        harness.startManager("shop-manager-a");
        harness.gitlab.enqueue(TestJob.builder(207)
                .variable("DB_PASSWORD", secret, false, true)
                .build());
        harness.awaitDone(207, Duration.ofSeconds(30));
        String trace = harness.gitlab.traceText(207);
        assertThat(trace).contains("password is [MASKED] and hunter2").doesNotContain(secret);
        assertThat(trace).doesNotContain("glcbt-64_TestJobToken207x9Zq");
    }

    @Test
    void outputLimitStopsTheTraceWithGitLabsNoticeAndTheJobStillSucceeds() {
        TestGitLab.JobView job = run(208, Scenarios.chatty(200, 100), h -> h.config(10, 30, 4));
        assertThat(job.state()).isEqualTo(TestGitLab.State.SUCCESS);
        String trace = harness.gitlab.traceText(208);
        assertThat(trace).contains("Job's log exceeded limit of 4096 bytes.");
        assertThat(harness.gitlab.trace(208).length).isLessThan(4096 + 400);
        assertThat(trace).doesNotContain("199 xxxx");
    }

    @Test
    void aJobWhosePayloadCannotBeReadIsReportedFailedWithTheReasonInItsTrace() {
        harness.startManager("shop-manager-a");
        ObjectNode payload = TestJob.builder(209).build().node();
        payload.remove("steps");
        harness.gitlab.enqueue(payload.toString());
        harness.awaitDone(209, Duration.ofSeconds(30));

        TestGitLab.JobView job = harness.gitlab.job(209);
        assertThat(job.state()).isEqualTo(TestGitLab.State.FAILED);
        assertThat(job.failureReason()).isEqualTo("runner_system_failure");
        assertThat(job.reportedStates()).doesNotContain("running");
        assertThat(harness.gitlab.traceText(209))
                .startsWith("ERROR: the job payload could not be read: job 209: ")
                .contains("steps", "is required")
                .endsWith("\n")
                .hasLineCount(1);
        assertThat(harness.leftovers()).isEmpty();
    }
}
