package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the trace says about services that exited while the job ran. As in gitlab-runner, a service that exits does
 * not fail the job by itself: its pod checks during the build look at the build and helper containers only
 * ({@code executors/kubernetes/kubernetes.go}, {@code isNotServiceContainerName}), and the script fails if it needed
 * the service. Here services are native sidecars, which Kubernetes restarts; the job's trace ends with one line per
 * service that exited, naming it, its image, its last exit and how often it was restarted. Read from the pod's
 * final status, so any manager composes the same lines. Pure.
 */
final class ServiceExits {
    private static final Set<String> JOB_CONTAINERS =
            Set.of(PodVerdicts.PREPARE, PodVerdicts.BUILD, PodVerdicts.HELPER);

    private ServiceExits() {}

    static List<String> lines(Pod pod) {
        List<String> lines = new ArrayList<>();
        if (pod == null || pod.getStatus() == null) {
            return lines;
        }
        List<ContainerStatus> all =
                new ArrayList<>(Objects.requireNonNullElse(pod.getStatus().getInitContainerStatuses(), List.of()));
        all.addAll(Objects.requireNonNullElse(pod.getStatus().getContainerStatuses(), List.of()));
        for (ContainerStatus container : all) {
            int restarts = container.getRestartCount() == null ? 0 : container.getRestartCount();
            if (JOB_CONTAINERS.contains(container.getName()) || restarts == 0) {
                continue;
            }
            lines.add(
                    "WARNING: service " + container.getName() + " (" + container.getImage() + ") " + describe(container)
                            + "; Kubernetes restarted it " + restarts + (restarts == 1 ? " time" : " times")
                            + ". A service that exits does not fail the job by itself");
        }
        return lines;
    }

    /** {@code exited with code 1 (Error): <its termination message>}, from its last termination. */
    static String describe(ContainerStatus container) {
        ContainerStateTerminated last = container.getLastState() == null
                ? null
                : container.getLastState().getTerminated();
        if (last == null && container.getState() != null) {
            last = container.getState().getTerminated();
        }
        if (last == null) {
            return "exited";
        }
        String message = last.getMessage() == null ? "" : last.getMessage().strip();
        return "exited with code " + last.getExitCode()
                + (last.getReason() == null ? "" : " (" + last.getReason() + ")")
                + (message.isEmpty() ? "" : ": " + message);
    }
}
