package io.runnerfleet.jobpod;

import io.fabric8.kubernetes.api.model.Lifecycle;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.yaml.Yaml;

/**
 * {@code container_lifecycle}: what gitlab-runner's {@code executors/kubernetes/kubernetes.go}
 * ({@code prepareLifecycleHooks}) puts on every container it builds: build, helper and services; init containers
 * (prepare) take none.
 */
final class ContainerLifecycles {
    private ContainerLifecycles() {}

    /** The fleet's hooks, or null when it sets none. */
    static Lifecycle of(ExecutorSpec executor) {
        if (executor.containerLifecycle() == null) {
            return null;
        }
        try {
            return Yaml.STRICT_MAPPER.convertValue(executor.containerLifecycle(), Lifecycle.class);
        } catch (IllegalArgumentException e) {
            throw new JobPodException("spec.executor.containerLifecycle is not a Kubernetes lifecycle; write it as "
                    + "in a container (postStart, preStop with exec, httpGet, tcpSocket or sleep)");
        }
    }
}
