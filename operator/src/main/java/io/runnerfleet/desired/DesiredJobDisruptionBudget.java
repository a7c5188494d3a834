package io.runnerfleet.desired;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.base.ExecutorNamespace;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The budget that keeps drains from evicting running Job Pods ({@code spec.executor.disruption.protect}): one per
 * fleet, in the executor namespace, selecting its Job Pods that still carry {@link FleetLabels#DISRUPTION_PROTECTED},
 * with {@code maxUnavailable: 0}, so the eviction API answers 429 and {@code kubectl drain} retries until the job
 * ends or the label comes off (past {@code maxWait}). gitlab-runner makes one budget per Job Pod with
 * {@code minAvailable: 1} ({@code executors/kubernetes/kubernetes.go}, {@code createPodDisruptionBudget}); one per
 * fleet costs no API call per job, and {@code maxUnavailable: 0} refuses evictions whatever the pods' readiness
 * (a Job Pod whose build container is not ready is still running its job). Jobs moved to another namespace
 * ({@code namespaceOverwrite}) are not covered: they carry the annotation only.
 */
public final class DesiredJobDisruptionBudget {
    private DesiredJobDisruptionBudget() {}

    public static String name(RunnerFleet fleet) {
        return fleet.getMetadata().getName() + "-jobs";
    }

    /**
     * Kept whether or not the fleet protects its Job Pods: with {@code protect: false} no pod carries the label, so
     * it selects nothing, and turning protection on needs no new object (nor a precondition in the workflow).
     */
    public static PodDisruptionBudget build(RunnerFleet fleet) {
        ObjectMeta meta = Owners.meta(fleet, name(fleet), ExecutorNamespace.of(fleet), FleetObjectLabels.common(fleet));
        return new PodDisruptionBudgetBuilder()
                .withMetadata(meta)
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(0))
                .withNewSelector()
                .withMatchLabels(selector(fleet))
                .endSelector()
                .endSpec()
                .build();
    }

    /** The fleet's Job Pods (jobpod.PodMetadata) while they are protected. */
    public static Map<String, String> selector(RunnerFleet fleet) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(FleetLabels.FLEET, fleet.getMetadata().getName());
        labels.put(FleetLabels.APP_COMPONENT, FleetLabels.COMPONENT_JOB);
        labels.put(FleetLabels.DISRUPTION_PROTECTED, "true");
        return labels;
    }
}
