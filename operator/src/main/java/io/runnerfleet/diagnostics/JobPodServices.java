package io.runnerfleet.diagnostics;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.runnerfleet.jobpod.JobPodBuilder;
import java.util.ArrayList;
import java.util.List;

/** The service containers of a Job Pod: native sidecars (restartPolicy Always) and plain containers alike. */
public final class JobPodServices {
    private JobPodServices() {}

    public static List<Container> of(Pod pod) {
        List<Container> services = new ArrayList<>();
        pod.getSpec().getInitContainers().stream()
                .filter(c -> "Always".equals(c.getRestartPolicy()))
                .forEach(services::add);
        pod.getSpec().getContainers().stream()
                .filter(c ->
                        !c.getName().equals(JobPodBuilder.BUILD) && !c.getName().equals(JobPodBuilder.HELPER))
                .forEach(services::add);
        return services;
    }
}
