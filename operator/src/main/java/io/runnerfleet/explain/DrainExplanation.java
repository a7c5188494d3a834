package io.runnerfleet.explain;

import io.fabric8.kubernetes.api.model.Pod;
import io.runnerfleet.api.v1alpha1.DisruptionSpec;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.base.ExecutorNamespace;
import io.runnerfleet.desired.DesiredJobDisruptionBudget;

/**
 * What a drain ({@code kubectl drain}, the cluster-autoscaler) and a scale-down of the managers do to running jobs
 * ({@code spec.executor.disruption}, docs/job-pod.md "Drains"), in words: the same settings the operator and the Job
 * Pod builder use, so the words cannot disagree with what runs.
 */
final class DrainExplanation {
    private DrainExplanation() {}

    static void append(StringBuilder out, RunnerFleet fleet, Pod pod) {
        ExecutorSpec executor = fleet.getSpec().executor();
        DisruptionSpec disruption = executor.disruptionOrDefaults();
        out.append("\nDrains\n");
        if (!disruption.protect()) {
            out.append("  Running Job Pods are not protected (spec.executor.disruption.protect: false): a drain or the "
                    + "cluster-autoscaler evicts them and their jobs fail (runner_system_failure)\n");
        } else {
            out.append("  Running Job Pods are protected: PodDisruptionBudget ")
                    .append(ExecutorNamespace.of(fleet))
                    .append('/')
                    .append(DesiredJobDisruptionBudget.name(fleet))
                    .append(" (maxUnavailable 0) selects them by ")
                    .append(FleetLabels.DISRUPTION_PROTECTED)
                    .append(", and they carry ")
                    .append(FleetLabels.SAFE_TO_EVICT)
                    .append(": \"false\"\n");
            out.append("  A drain waits until the job ends");
            if (disruption.maxWait() == null) {
                out.append(" (no maxWait; the pod's activeDeadlineSeconds, ")
                        .append(pod.getSpec().getActiveDeadlineSeconds())
                        .append(" s, bounds the wait)\n");
            } else {
                out.append(", for at most ")
                        .append(disruption.maxWait())
                        .append(" after the Job Pod's creation (maxWait): then the operator takes the label off, the "
                                + "drain evicts the pod and its job fails\n");
            }
            if (!executor.namespaceOverwriteOrNone().allowed().isEmpty()) {
                out.append("  Job Pods moved to another namespace (KUBERNETES_NAMESPACE_OVERWRITE) have no budget "
                        + "there: only the annotation keeps the cluster-autoscaler off\n");
            }
        }
        out.append("  Scale-down removes idle managers first (each keeps controller.kubernetes.io/pod-deletion-cost "
                + "equal to its running jobs)\n");
    }
}
