package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * How the Job Pod's {@code build} container ended, read once its log has ended. The log ends when the container
 * terminates, but the informer's view of the pod may not show that yet: reading that lagging view as "not
 * terminated, so failed" put a successful job's upload under "Uploading artifacts for failed job"
 * ({@code faults/run} saw it in 2 of 500 fault-free jobs). So this waits for the view to show the exit code, as
 * {@code settledVerdict} waits for the verdict.
 */
final class BuildExit {
    private BuildExit() {}

    /**
     * Whether the build exited 0, waiting up to {@code settle} (re-reading every {@code poll}) for {@code pod} to show
     * it terminated; false when it never does, or when {@code stop} says to stop waiting.
     */
    static boolean succeeded(
            Supplier<Pod> pod, Clock clock, Duration settle, Duration poll, BooleanSupplier stop, Sleeper sleeper) {
        Instant deadline = clock.instant().plus(settle);
        Integer exit = exitCode(pod.get());
        while (exit == null && clock.instant().isBefore(deadline) && !stop.getAsBoolean()) {
            sleeper.sleep(poll);
            exit = exitCode(pod.get());
        }
        return exit != null && exit == 0;
    }

    /** The build container's exit code, or null while the pod does not show it terminated. */
    static Integer exitCode(Pod pod) {
        if (pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return null;
        }
        for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
            if (PodVerdicts.BUILD.equals(status.getName())
                    && status.getState() != null
                    && status.getState().getTerminated() != null) {
                return status.getState().getTerminated().getExitCode();
            }
        }
        return null;
    }

    /** Waits; tests pass one that does not. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration);
    }
}
