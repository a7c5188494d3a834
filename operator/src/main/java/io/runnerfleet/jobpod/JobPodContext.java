package io.runnerfleet.jobpod;

import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.base.ExecutorNamespace;
import java.util.List;
import java.util.Objects;

/**
 * Everything about the fleet that shapes a Job Pod.
 *
 * @param fleetName          the RunnerFleet's name: prefix of the pod name and value of {@code runnerfleet.io/fleet}
 * @param namespace          where the Job Pod runs
 * @param executor           the fleet's executor config ({@code [runners.kubernetes]})
 * @param environment        the runner's {@code environment} entries ({@code KEY=value}), given to every job
 * @param managerName        the manager pod that runs the job ({@code runnerfleet.io/manager}); null when rendering
 * @param defaultHelperImage the helper image when the executor names none
 */
public record JobPodContext(
        String fleetName,
        String namespace,
        ExecutorSpec executor,
        List<String> environment,
        String managerName,
        String defaultHelperImage) {

    /** gitlab-runner's own helper image for the version the seed runs. */
    public static final String DEFAULT_HELPER_IMAGE =
            "registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v18.3.0";

    public JobPodContext {
        Objects.requireNonNull(fleetName, "fleetName");
        Objects.requireNonNull(namespace, "namespace");
        executor = executor == null ? ExecutorSpec.defaults() : executor;
        environment = environment == null ? List.of() : List.copyOf(environment);
        defaultHelperImage = defaultHelperImage == null ? DEFAULT_HELPER_IMAGE : defaultHelperImage;
    }

    /** The context of a fleet as the CRD holds it, in the fleet's {@link ExecutorNamespace}. */
    public static JobPodContext forFleet(RunnerFleet fleet) {
        return new JobPodContext(
                fleet.getMetadata().getName(),
                ExecutorNamespace.of(fleet),
                fleet.getSpec().executor(),
                fleet.getSpec().runner().environment(),
                null,
                null);
    }

    public JobPodContext withManager(String manager) {
        return new JobPodContext(fleetName, namespace, executor, environment, manager, defaultHelperImage);
    }

    public String helperImage() {
        return executor.helperImage() != null && !executor.helperImage().isBlank()
                ? executor.helperImage()
                : defaultHelperImage;
    }
}
