package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodVerdictsTest {
    private static final Instant CREATED = Instant.parse("2026-11-30T10:00:00Z");
    private static final Duration POLL_TIMEOUT = Duration.ofMinutes(3);

    private static Pod pod(String phase, List<ContainerStatus> init, List<ContainerStatus> main) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("fleet-job-1")
                .withCreationTimestamp(CREATED.toString())
                .endMetadata()
                .withNewStatus()
                .withPhase(phase)
                .withInitContainerStatuses(init)
                .withContainerStatuses(main)
                .endStatus()
                .build();
    }

    private static ContainerStatus waiting(String name, String reason) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withImage("registry.example.com/x:1")
                .withNewState()
                .withNewWaiting()
                .withReason(reason)
                .withMessage("details")
                .endWaiting()
                .endState()
                .build();
    }

    private static ContainerStatus running(String name) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withNewState()
                .withNewRunning()
                .endRunning()
                .endState()
                .build();
    }

    private static ContainerStatus exited(String name, int code) {
        return new ContainerStatusBuilder()
                .withName(name)
                .withNewState()
                .withNewTerminated()
                .withExitCode(code)
                .endTerminated()
                .endState()
                .build();
    }

    private static PodVerdict at(Pod pod, long secondsAfterCreation) {
        return PodVerdicts.of(pod, CREATED.plusSeconds(secondsAfterCreation), POLL_TIMEOUT);
    }

    @Test
    void buildExitZeroAndHelperDoneIsSuccess() {
        Pod pod = pod("Succeeded", List.of(exited("prepare", 0)), List.of(exited("build", 0), exited("helper", 0)));
        assertThat(at(pod, 30)).isEqualTo(new PodVerdict.Succeeded());
    }

    @Test
    void buildExitNonZeroIsScriptFailureWithItsExitCode() {
        Pod pod = pod("Failed", List.of(exited("prepare", 0)), List.of(exited("build", 42), exited("helper", 0)));
        assertThat(at(pod, 30)).isInstanceOfSatisfying(PodVerdict.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.SCRIPT_FAILURE);
            assertThat(failed.exitCode()).isEqualTo(42);
        });
    }

    private static ContainerStatus stoppedBuild(String terminationMessage) {
        return new ContainerStatusBuilder()
                .withName("build")
                .withNewState()
                .withNewTerminated()
                .withExitCode(143)
                .withReason("Error")
                .withMessage(terminationMessage)
                .endTerminated()
                .endState()
                .build();
    }

    @Test
    void theBuildScriptsOwnTimeoutIsAJobTimeoutOnceTheHelperIsDone() {
        Pod uploading =
                pod("Running", List.of(exited("prepare", 0)), List.of(stoppedBuild("timedout\n"), running("helper")));
        assertThat(at(uploading, 30)).isEqualTo(new PodVerdict.InProgress(JobStage.UPLOADING));
        Pod done =
                pod("Failed", List.of(exited("prepare", 0)), List.of(stoppedBuild("timedout\n"), exited("helper", 0)));
        assertThat(at(done, 30)).isInstanceOfSatisfying(PodVerdict.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.JOB_EXECUTION_TIMEOUT);
            assertThat(failed.exitCode()).isEqualTo(143);
        });
    }

    @Test
    void aScriptStoppedByACancelIsCanceledAndAnyOtherMessageIsAScriptFailure() {
        Pod canceled =
                pod("Failed", List.of(exited("prepare", 0)), List.of(stoppedBuild("canceled"), exited("helper", 0)));
        assertThat(at(canceled, 30))
                .isInstanceOfSatisfying(
                        PodVerdict.Failed.class,
                        failed -> assertThat(failed.reason()).isEqualTo(FailureReason.JOB_CANCELED));
        Pod other = pod(
                "Failed", List.of(exited("prepare", 0)), List.of(stoppedBuild("something else"), exited("helper", 0)));
        assertThat(at(other, 30))
                .isInstanceOfSatisfying(
                        PodVerdict.Failed.class,
                        failed -> assertThat(failed.reason()).isEqualTo(FailureReason.SCRIPT_FAILURE));
    }

    @Test
    void resultWaitsForTheHelperAfterAFailedBuild() {
        Pod pod = pod("Running", List.of(exited("prepare", 0)), List.of(exited("build", 1), running("helper")));
        assertThat(at(pod, 30)).isEqualTo(new PodVerdict.InProgress(JobStage.UPLOADING));
    }

    private static ContainerStatus killed(String reason, Instant finishedAt) {
        return new ContainerStatusBuilder()
                .withName("build")
                .withNewState()
                .withNewTerminated()
                .withExitCode(137)
                .withReason(reason)
                .withFinishedAt(finishedAt.toString())
                .endTerminated()
                .endState()
                .build();
    }

    @Test
    void aBuildContainerThatNeverStartedFailsAtOnceWhileTheHelperStillWaits() {
        for (String reason : List.of("StartError", "ContainerCannotRun")) {
            Pod pod = pod(
                    "Running",
                    List.of(exited("prepare", 0)),
                    List.of(killed(reason, CREATED.plusSeconds(30)), running("helper")));
            assertThat(at(pod, 30)).as(reason).isInstanceOfSatisfying(PodVerdict.Failed.class, failed -> {
                assertThat(failed.reason()).isEqualTo(FailureReason.RUNNER_SYSTEM_FAILURE);
                assertThat(failed.exitCode()).isEqualTo(137);
                assertThat(failed.message())
                        .isEqualTo("Error in container build: exit code: 137, reason: '" + reason + "'");
            });
        }
    }

    @Test
    void anOomKilledBuildIsASystemFailureOnceTheHelperHasNotSeenAnExitCodeForFiveSeconds() {
        Pod pod = pod(
                "Running",
                List.of(exited("prepare", 0)),
                List.of(killed("OOMKilled", CREATED.plusSeconds(30)), running("helper")));
        assertThat(at(pod, 33)).isEqualTo(new PodVerdict.InProgress(JobStage.UPLOADING));
        assertThat(at(pod, 36)).isInstanceOfSatisfying(PodVerdict.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.RUNNER_SYSTEM_FAILURE);
            assertThat(failed.message()).isEqualTo("Error in container build: exit code: 137, reason: 'OOMKilled'");
        });
    }

    /** SIGKILL of the build's first process: reason Error, exit 137, and no termination message from the script. */
    @Test
    void aBuildKilledAsAWholeBySigkillIsASystemFailureAtOnce() {
        Pod pod = pod(
                "Running",
                List.of(exited("prepare", 0)),
                List.of(killed("Error", CREATED.plusSeconds(30)), running("helper")));
        assertThat(at(pod, 30)).isInstanceOfSatisfying(PodVerdict.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.RUNNER_SYSTEM_FAILURE);
            assertThat(failed.exitCode()).isEqualTo(137);
            assertThat(failed.message()).isEqualTo("Error in container build: exit code: 137, reason: 'Error'");
        });
    }

    @Test
    void aScriptThatItselfExits137IsLeftToTheHelperAndIsAScriptFailure() {
        ContainerStatus build = killed("Error", CREATED.plusSeconds(30));
        build.getState().getTerminated().setMessage("finished\n");
        Pod uploading = pod("Running", List.of(exited("prepare", 0)), List.of(build, running("helper")));
        assertThat(at(uploading, 90)).isEqualTo(new PodVerdict.InProgress(JobStage.UPLOADING));
        Pod done = pod("Failed", List.of(exited("prepare", 0)), List.of(build, exited("helper", 0)));
        assertThat(at(done, 90)).isInstanceOfSatisfying(PodVerdict.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.SCRIPT_FAILURE);
            assertThat(failed.exitCode()).isEqualTo(137);
        });
    }

    @Test
    void anOomKillOfAProcessOfAScriptThatReachedItsEndWaitsForTheUploads() {
        ContainerStatus build = killed("OOMKilled", CREATED.plusSeconds(30));
        build.getState().getTerminated().setMessage("finished\n");
        Pod pod = pod("Running", List.of(exited("prepare", 0)), List.of(build, running("helper")));
        assertThat(at(pod, 90)).isEqualTo(new PodVerdict.InProgress(JobStage.UPLOADING));
    }

    @Test
    void anOomKillThatOnlyEndedTheScriptIsAScriptFailureThatSaysSo() {
        Pod pod = pod(
                "Failed",
                List.of(exited("prepare", 0)),
                List.of(killed("OOMKilled", CREATED.plusSeconds(30)), exited("helper", 0)));
        assertThat(at(pod, 60)).isInstanceOfSatisfying(PodVerdict.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.SCRIPT_FAILURE);
            assertThat(failed.exitCode()).isEqualTo(137);
            assertThat(failed.message())
                    .isEqualTo("the build script exited with code 137 (container reason: " + "OOMKilled)");
        });
    }

    @Test
    void imagePullErrorsFailAtOnceNotAfterThePollTimeout() {
        for (String reason : List.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName")) {
            Pod pod = pod("Pending", List.of(exited("prepare", 0)), List.of(waiting("build", reason)));
            assertThat(at(pod, 2)).as(reason).isInstanceOfSatisfying(PodVerdict.Failed.class, failed -> {
                assertThat(failed.reason()).isEqualTo(FailureReason.IMAGE_PULL_FAILURE);
                assertThat(failed.message()).contains(reason).contains("registry.example.com/x:1");
            });
        }
    }

    @Test
    void pendingPastThePollTimeoutIsASystemFailureThatSaysWhy() {
        Pod pod = pod("Pending", List.of(), List.of());
        pod.getStatus()
                .setConditions(List.of(new PodConditionBuilder()
                        .withType("PodScheduled")
                        .withStatus("False")
                        .withReason("Unschedulable")
                        .withMessage("0/3 nodes are available: 3 Insufficient cpu.")
                        .build()));
        assertThat(at(pod, 60)).isEqualTo(new PodVerdict.InProgress(JobStage.WAITING_FOR_POD));
        assertThat(at(pod, 181)).isInstanceOfSatisfying(PodVerdict.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.RUNNER_SYSTEM_FAILURE);
            assertThat(failed.message())
                    .contains("timed out waiting for pod to start")
                    .contains("Insufficient cpu");
        });
    }

    @Test
    void deadlineKillIsAJobTimeout() {
        Pod pod = pod("Failed", List.of(exited("prepare", 0)), List.of(running("build")));
        pod.getStatus().setReason("DeadlineExceeded");
        assertThat(at(pod, 3600))
                .isInstanceOfSatisfying(
                        PodVerdict.Failed.class,
                        failed -> assertThat(failed.reason()).isEqualTo(FailureReason.JOB_EXECUTION_TIMEOUT));
    }

    @Test
    void evictionDeletionAndDisruptionAreSystemFailures() {
        Pod evicted = pod("Failed", List.of(), List.of());
        evicted.getStatus().setReason("Evicted");
        Pod deleted = pod("Running", List.of(exited("prepare", 0)), List.of(running("build")));
        deleted.getMetadata().setDeletionTimestamp(CREATED.plusSeconds(5).toString());
        Pod disrupted = pod("Running", List.of(exited("prepare", 0)), List.of(running("build")));
        disrupted
                .getStatus()
                .setConditions(List.of(new PodConditionBuilder()
                        .withType("DisruptionTarget")
                        .withStatus("True")
                        .withReason("EvictionByEvictionAPI")
                        .build()));
        for (Pod pod : new Pod[] {evicted, deleted, disrupted, null}) {
            assertThat(at(pod, 10))
                    .isInstanceOfSatisfying(
                            PodVerdict.Failed.class,
                            failed -> assertThat(failed.reason()).isEqualTo(FailureReason.RUNNER_SYSTEM_FAILURE));
        }
    }

    @Test
    void aServiceCrashingBeforeTheBuildStartsFailsTheJobAsAConfigurationError() {
        Pod pod = pod(
                "Pending",
                List.of(exited("prepare", 0), waiting("svc-0", "CrashLoopBackOff")),
                List.of(waiting("build", "PodInitializing")));
        assertThat(at(pod, 20)).isInstanceOfSatisfying(PodVerdict.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.RUNNER_CONFIGURATION_ERROR);
            assertThat(failed.message()).startsWith("container \"svc-0\" is in CrashLoopBackOff");
        });
    }

    /** As gitlab-runner, which leaves services out of its container checks during the build. */
    @Test
    void aServiceCrashingWhileTheBuildRunsDoesNotFailTheJobByItself() {
        Pod pod = pod(
                "Running",
                List.of(exited("prepare", 0), waiting("svc-0", "CrashLoopBackOff")),
                List.of(running("build"), running("helper")));
        assertThat(at(pod, 20)).isEqualTo(new PodVerdict.InProgress(JobStage.RUNNING_SCRIPT));
        Pod done = pod(
                "Succeeded",
                List.of(exited("prepare", 0), waiting("svc-0", "CrashLoopBackOff")),
                List.of(exited("build", 0), exited("helper", 0)));
        assertThat(at(done, 30)).isEqualTo(new PodVerdict.Succeeded());
    }

    @Test
    void failedCloneIsAScriptFailure() {
        Pod pod = pod("Failed", List.of(exited("prepare", 128)), List.of());
        assertThat(at(pod, 10)).isInstanceOfSatisfying(PodVerdict.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.SCRIPT_FAILURE);
            assertThat(failed.message()).contains("sources");
        });
    }

    @Test
    void stagesFollowTheContainers() {
        assertThat(at(pod("Pending", List.of(running("prepare")), List.of()), 1))
                .isEqualTo(new PodVerdict.InProgress(JobStage.WAITING_FOR_POD));
        assertThat(at(pod("Running", List.of(exited("prepare", 0)), List.of(running("build"), running("helper"))), 1))
                .isEqualTo(new PodVerdict.InProgress(JobStage.RUNNING_SCRIPT));
    }

    @Test
    void unsupportedReasonsFallBackAsGitlabRunnerDoes() {
        assertThat(FailureReason.IMAGE_PULL_FAILURE.forGitLab(List.of())).isEqualTo("runner_system_failure");
        assertThat(FailureReason.IMAGE_PULL_FAILURE.forGitLab(List.of("image_pull_failure")))
                .isEqualTo("image_pull_failure");
        assertThat(FailureReason.RUNNER_CONFIGURATION_ERROR.forGitLab(List.of()))
                .isEqualTo("script_failure");
        assertThat(FailureReason.JOB_EXECUTION_TIMEOUT.forGitLab(List.of())).isEqualTo("job_execution_timeout");
        assertThat(FailureReason.UNKNOWN_FAILURE.forGitLab(List.of())).isEqualTo("unknown_failure");
    }
}
