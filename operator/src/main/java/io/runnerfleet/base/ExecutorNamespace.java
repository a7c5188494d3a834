package io.runnerfleet.base;

import io.runnerfleet.api.v1alpha1.RunnerFleet;

/**
 * The namespace a fleet's Job Pods run in: the executor's, else the fleet's own, else {@code default}. One rule for
 * the manager's Role, {@code config.toml}, the Job Pods and the operator's bookkeeping of them, so they never
 * disagree. The last fallback only matters for a fleet read from a file without a namespace, which
 * {@code kubectl apply} would also put in {@code default}.
 */
public final class ExecutorNamespace {
    public static final String DEFAULT = "default";

    private ExecutorNamespace() {}

    public static String of(RunnerFleet fleet) {
        String executor = fleet.getSpec().executor().namespace();
        if (executor != null && !executor.isBlank()) {
            return executor;
        }
        String own = fleet.getMetadata().getNamespace();
        return own != null && !own.isBlank() ? own : DEFAULT;
    }
}
