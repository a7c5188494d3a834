package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Job Pod's status into a {@link PodVerdict}. Pure: the pod, the time and the poll timeout in, the verdict
 * out. Failures Kubernetes reports while the pod waits (image pulls, config errors, crashing services) are failed at
 * once instead of after {@code poll_timeout}, which is what makes a bad image fail within seconds.
 */
public final class PodVerdicts {
    public static final String PREPARE = "prepare";
    public static final String BUILD = "build";
    public static final String HELPER = "helper";

    private static final Set<String> IMAGE_PULL_REASONS =
            Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");
    /** Terminations of a whole container, not of the script in it (containerd's and the kubelet's reasons). */
    private static final String OOM_KILLED = "OOMKilled";

    private static final Set<String> KILLED_REASONS = Set.of(OOM_KILLED, "ContainerCannotRun", "StartError");
    /** How long the helper may take to notice the exit-code file (it looks every second). */
    private static final Duration KILLED_GRACE = Duration.ofSeconds(5);
    /** The build container's termination messages ({@code jobpod.BuildScript}). */
    static final String TIMED_OUT = "timedout";

    static final String CANCELED = "canceled";
    /** What the build script writes when it reaches its end unstopped; a build without any message never did. */
    static final String FINISHED = "finished";
    /** 128 + the signal: the container's first process was killed by a signal, SIGKILL being 137. */
    private static final int KILLED_BY_SIGNAL = 128;

    private static final Set<String> WRAPPER_MESSAGES = Set.of(FINISHED, TIMED_OUT, CANCELED);
    private static final Set<String> CONFIG_REASONS =
            Set.of("CreateContainerConfigError", "CreateContainerError", "RunContainerError");

    private PodVerdicts() {}

    public static PodVerdict of(Pod pod, Instant now, Duration pollTimeout) {
        if (pod == null) {
            return new PodVerdict.Failed(
                    FailureReason.RUNNER_SYSTEM_FAILURE, null, "the Job Pod was deleted before the job finished");
        }
        PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        Optional<PodVerdict> stopped = stoppedFromOutside(pod, status);
        if (stopped.isPresent()) {
            return stopped.get();
        }
        List<ContainerStatus> init = nonNull(status.getInitContainerStatuses());
        List<ContainerStatus> main = nonNull(status.getContainerStatuses());
        boolean buildStarted = named(main, BUILD)
                .map(b -> b.getState() != null
                        && (b.getState().getRunning() != null || b.getState().getTerminated() != null))
                .orElse(false);
        Optional<PodVerdict> waitingFailure = waitingFailure(init, main, buildStarted);
        if (waitingFailure.isPresent()) {
            return waitingFailure.get();
        }
        Optional<ContainerStatus> prepare = named(init, PREPARE);
        if (prepare.isPresent() && terminatedExit(prepare.get()) != null && terminatedExit(prepare.get()) != 0) {
            return new PodVerdict.Failed(
                    FailureReason.SCRIPT_FAILURE,
                    null,
                    "fetching the sources failed (exit " + "code " + terminatedExit(prepare.get()) + ")");
        }
        Optional<PodVerdict> buildKilled = named(main, BUILD)
                .flatMap(build -> killedAsAWhole(
                        build,
                        named(main, HELPER).map(h -> terminatedExit(h) != null).orElse(false),
                        now));
        if (buildKilled.isPresent()) {
            return buildKilled.get();
        }
        Integer buildExit = named(main, BUILD).map(PodVerdicts::terminatedExit).orElse(null);
        Integer helperExit =
                named(main, HELPER).map(PodVerdicts::terminatedExit).orElse(null);
        if (buildExit != null && helperExit != null) {
            if (buildExit != 0) {
                Optional<PodVerdict> stoppedByScript =
                        scriptStopped(named(main, BUILD).get(), buildExit, helperExit);
                if (stoppedByScript.isPresent()) {
                    return stoppedByScript.get();
                }
                String killedBy = named(main, BUILD)
                        .map(PodVerdicts::terminatedReason)
                        .filter(KILLED_REASONS::contains)
                        .map(r -> " (container reason: " + r + ")")
                        .orElse("");
                return new PodVerdict.Failed(
                        FailureReason.SCRIPT_FAILURE, buildExit, scriptExitMessage(buildExit) + killedBy);
            }
            if (helperExit != 0) {
                return new PodVerdict.Failed(
                        FailureReason.SCRIPT_FAILURE,
                        null,
                        "uploading artifacts or cache failed (helper exit code " + helperExit + ")");
            }
            return new PodVerdict.Succeeded();
        }
        if ("Failed".equals(status.getPhase())) {
            return new PodVerdict.Failed(
                    FailureReason.RUNNER_SYSTEM_FAILURE, buildExit, "the Job Pod failed: " + describe(status));
        }
        if (isPending(status, main)) {
            Instant created = created(pod);
            if (created != null && Duration.between(created, now).compareTo(pollTimeout) > 0) {
                return new PodVerdict.Failed(
                        FailureReason.RUNNER_SYSTEM_FAILURE,
                        null,
                        "timed out waiting for pod to start after " + pollTimeout.toSeconds() + "s: "
                                + describe(status));
            }
            boolean prepareDone = prepare.map(p -> terminatedExit(p) != null).orElse(false);
            return new PodVerdict.InProgress(prepareDone ? JobStage.RUNNING_SCRIPT : JobStage.WAITING_FOR_POD);
        }
        if (prepare.isPresent()
                && prepare.get().getState() != null
                && prepare.get().getState().getRunning() != null) {
            return new PodVerdict.InProgress(JobStage.GETTING_SOURCES);
        }
        return new PodVerdict.InProgress(buildExit == null ? JobStage.RUNNING_SCRIPT : JobStage.UPLOADING);
    }

    /**
     * The build script stopped the script itself and said why in its termination message ({@code jobpod.BuildScript}):
     * {@code timedout} at the job timeout or {@code RUNNER_SCRIPT_TIMEOUT}, {@code canceled} on the SIGTERM of a
     * cancel. after_script and the helper's uploads have run by now.
     */
    private static Optional<PodVerdict> scriptStopped(ContainerStatus build, int buildExit, int helperExit) {
        String message =
                nonNullText(build.getState().getTerminated().getMessage()).strip();
        String uploads = helperExit == 0
                ? ""
                : "; uploading artifacts or cache failed too (helper exit code " + helperExit + ")";
        return switch (message) {
            case TIMED_OUT ->
                Optional.of(new PodVerdict.Failed(
                        FailureReason.JOB_EXECUTION_TIMEOUT,
                        buildExit,
                        "the script ran past its timeout and was stopped" + uploads));
            case CANCELED ->
                Optional.of(new PodVerdict.Failed(FailureReason.JOB_CANCELED, buildExit, "canceled" + uploads));
            default -> Optional.empty();
        };
    }

    static String scriptExitMessage(Integer exitCode) {
        return "the build script exited with code " + exitCode;
    }

    private static Optional<PodVerdict> stoppedFromOutside(Pod pod, PodStatus status) {
        String reason = status.getReason() == null ? "" : status.getReason();
        if (reason.equals("DeadlineExceeded")) {
            return Optional.of(new PodVerdict.Failed(
                    FailureReason.JOB_EXECUTION_TIMEOUT,
                    null,
                    "the job ran past its timeout; Kubernetes stopped the Job Pod (activeDeadlineSeconds)"));
        }
        if (reason.equals("Evicted")) {
            return Optional.of(new PodVerdict.Failed(
                    FailureReason.RUNNER_SYSTEM_FAILURE,
                    null,
                    "the Job Pod was evicted: " + nonNullText(status.getMessage())));
        }
        for (PodCondition condition : nonNull(status.getConditions())) {
            if ("DisruptionTarget".equals(condition.getType()) && "True".equals(condition.getStatus())) {
                return Optional.of(new PodVerdict.Failed(
                        FailureReason.RUNNER_SYSTEM_FAILURE,
                        null,
                        "the Job Pod is being disrupted (" + nonNullText(condition.getReason()) + "): "
                                + nonNullText(condition.getMessage())));
            }
        }
        if (pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null) {
            return Optional.of(new PodVerdict.Failed(
                    FailureReason.RUNNER_SYSTEM_FAILURE, null, "the Job Pod was deleted before the job finished"));
        }
        return Optional.empty();
    }

    /** A container waiting because its image cannot be pulled, as the kubelet reports it. */
    public record ImagePull(String container, String image, String reason, String message) {
        /**
         * Whether another pull policy may help: gitlab-runner retries {@code ErrImagePull} and
         * {@code ImagePullBackOff} only ({@code executors/kubernetes/internal/watchers/pod.go}); a malformed name or
         * {@code Never} stays failed.
         */
        public boolean retriable() {
            return RETRIABLE_PULL_REASONS.contains(reason);
        }
    }

    private static final Set<String> RETRIABLE_PULL_REASONS = Set.of("ErrImagePull", "ImagePullBackOff");

    /** The first container (init containers first) whose image cannot be pulled, if any. */
    public static Optional<ImagePull> imagePullFailure(Pod pod) {
        if (pod == null || pod.getStatus() == null) {
            return Optional.empty();
        }
        for (List<ContainerStatus> group : List.of(
                nonNull(pod.getStatus().getInitContainerStatuses()),
                nonNull(pod.getStatus().getContainerStatuses()))) {
            for (ContainerStatus container : group) {
                if (container.getState() == null || container.getState().getWaiting() == null) {
                    continue;
                }
                String reason = nonNullText(container.getState().getWaiting().getReason());
                if (IMAGE_PULL_REASONS.contains(reason)) {
                    return Optional.of(new ImagePull(
                            container.getName(),
                            container.getImage(),
                            reason,
                            nonNullText(container.getState().getWaiting().getMessage())));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<PodVerdict> waitingFailure(
            List<ContainerStatus> init, List<ContainerStatus> main, boolean buildStarted) {
        for (List<ContainerStatus> group : List.of(init, main)) {
            for (ContainerStatus container : group) {
                if (container.getState() == null || container.getState().getWaiting() == null) {
                    continue;
                }
                String reason = nonNullText(container.getState().getWaiting().getReason());
                String message = nonNullText(container.getState().getWaiting().getMessage());
                if (IMAGE_PULL_REASONS.contains(reason)) {
                    return Optional.of(new PodVerdict.Failed(
                            FailureReason.IMAGE_PULL_FAILURE,
                            null,
                            "container " + container.getName() + " cannot pull image " + container.getImage() + " ("
                                    + reason + "): " + message));
                }
                if (CONFIG_REASONS.contains(reason)) {
                    return Optional.of(new PodVerdict.Failed(
                            FailureReason.RUNNER_SYSTEM_FAILURE,
                            null,
                            "container " + container.getName() + " cannot start (" + reason + "): " + message));
                }
                if ("CrashLoopBackOff".equals(reason) && !buildStarted) {
                    // Only a service restarts (a native sidecar); one that keeps crashing before its startup probe
                    // passes holds the build back for good. gitlab-runner's pod watcher fails the job on it as a
                    // configuration error (executors/kubernetes/internal/watchers/pod.go). Once the build runs, a
                    // crashing service does not fail the job by itself, as in gitlab-runner, whose services never
                    // restart and are left out of its container checks during the build (ServiceExits).
                    return Optional.of(new PodVerdict.Failed(
                            FailureReason.RUNNER_CONFIGURATION_ERROR,
                            null,
                            "container \"" + container.getName() + "\" is in CrashLoopBackOff: "
                                    + ServiceExits.describe(container) + (message.isEmpty() ? "" : "; " + message)));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A build container that the runtime killed or could not start never writes the exit-code file the helper waits
     * for, so its termination is the verdict: like gitlab-runner's pod status check
     * ({@code executors/kubernetes/kubernetes.go}, {@code podContainerError}), a system failure whose message names
     * the container, exit code and reason. A container that never started fails at once. An OOM kill often hits only
     * a process of the script, which then fails normally and the helper finishes within a second or two; so an
     * OOM-killed build counts as killed as a whole only once the helper has still not finished
     * {@link #KILLED_GRACE} after it (and never when the script left its termination message: it reached its end).
     * Killed by a signal with no message at all (reason {@code Error}, exit code 137 for SIGKILL) is killed as a whole
     * too: gitlab-runner's {@code Error in container build: exit code: 137, reason: 'Error'}.
     */
    private static Optional<PodVerdict> killedAsAWhole(ContainerStatus build, boolean helperDone, Instant now) {
        String reason = terminatedReason(build);
        if (reason == null || helperDone) {
            return Optional.empty();
        }
        var terminated = build.getState().getTerminated();
        if (WRAPPER_MESSAGES.contains(nonNullText(terminated.getMessage()).strip())) {
            return Optional.empty(); // the script reached its end (or a timer or cancel stopped it): the helper goes on
        }
        if (!KILLED_REASONS.contains(reason) && !wrapperKilled(terminated)) {
            return Optional.empty();
        }
        Instant finished = terminated.getFinishedAt() == null ? null : Instant.parse(terminated.getFinishedAt());
        if (reason.equals(OOM_KILLED)
                && finished != null
                && Duration.between(finished, now).compareTo(KILLED_GRACE) < 0) {
            return Optional.empty();
        }
        String message = nonNullText(terminated.getMessage()).strip();
        return Optional.of(new PodVerdict.Failed(
                FailureReason.RUNNER_SYSTEM_FAILURE,
                terminated.getExitCode(),
                "Error in container " + BUILD + ": exit code: " + terminated.getExitCode() + ", reason: '" + reason
                        + "'" + (message.isEmpty() ? "" : ": " + message)));
    }

    /**
     * The build script's first process died of a signal before its end (a SIGKILL of the whole container, reason
     * {@code Error}, exit code 137): the script always leaves a termination message when it ends
     * ({@code jobpod.BuildScript}), so none means it never got there and never wrote the exit-code file either. A
     * script that itself exits 137 (a process of it killed) ends the wrapper normally, with a message.
     */
    private static boolean wrapperKilled(io.fabric8.kubernetes.api.model.ContainerStateTerminated terminated) {
        Integer exit = terminated.getExitCode();
        return exit != null
                && exit > KILLED_BY_SIGNAL
                && nonNullText(terminated.getMessage()).isBlank();
    }

    private static String terminatedReason(ContainerStatus container) {
        if (container.getState() == null || container.getState().getTerminated() == null) {
            return null;
        }
        return nonNullText(container.getState().getTerminated().getReason());
    }

    private static boolean isPending(PodStatus status, List<ContainerStatus> main) {
        if ("Pending".equals(status.getPhase()) || status.getPhase() == null) {
            return true;
        }
        return named(main, BUILD)
                .map(c -> c.getState() != null && c.getState().getWaiting() != null)
                .orElse(true);
    }

    private static String describe(PodStatus status) {
        StringBuilder out = new StringBuilder("phase ").append(status.getPhase());
        if (status.getReason() != null) {
            out.append(", reason ").append(status.getReason());
        }
        for (PodCondition condition : nonNull(status.getConditions())) {
            if ("False".equals(condition.getStatus()) && condition.getReason() != null) {
                out.append(", ").append(condition.getType()).append(": ").append(condition.getReason());
                if (condition.getMessage() != null) {
                    out.append(" (").append(condition.getMessage()).append(')');
                }
            }
        }
        return out.toString();
    }

    private static Integer terminatedExit(ContainerStatus container) {
        if (container.getState() == null || container.getState().getTerminated() == null) {
            return null;
        }
        return container.getState().getTerminated().getExitCode();
    }

    private static Optional<ContainerStatus> named(List<ContainerStatus> containers, String name) {
        return containers.stream().filter(c -> name.equals(c.getName())).findFirst();
    }

    private static Instant created(Pod pod) {
        String timestamp = pod.getMetadata() == null ? null : pod.getMetadata().getCreationTimestamp();
        return timestamp == null ? null : Instant.parse(timestamp);
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String nonNullText(String text) {
        return text == null ? "" : text;
    }
}
