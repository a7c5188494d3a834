package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/**
 * Whether a running Job Pod may be evicted (a {@code kubectl drain}, the cluster-autoscaler's scale-down). A Job Pod
 * has {@code restartPolicy: Never} and an evicted one fails its job (runner_system_failure); managers adopt running
 * jobs across their own restarts, never across their Job Pod's. gitlab-runner's {@code pod_disruption_budget}
 * ({@code common/config.go}, {@code executors/kubernetes/kubernetes.go} {@code createPodDisruptionBudget}) makes one
 * budget per Job Pod and is off by default; a fleet keeps one budget for all its Job Pods and protects by default,
 * because a drain that waits is retried by kubectl and the autoscaler while a killed job is lost, and the wait is
 * bounded anyway: by the Job Pod's activeDeadlineSeconds, or sooner by {@code maxWait}.
 */
public record DisruptionSpec(
        @Default("true")
        @JsonPropertyDescription("Protect running Job Pods from voluntary disruption: each carries the "
                + "cluster-autoscaler's `cluster-autoscaler.kubernetes.io/safe-to-evict: \"false\"` and the label "
                + "`runnerfleet.io/disruption-protected`, which the PodDisruptionBudget `<fleet>-jobs` (maxUnavailable "
                + "0) selects, so the eviction API (`kubectl drain`) refuses them with 429 and the drain retries until "
                + "the job ends. `false` leaves Job Pods evictable, as gitlab-runner's default "
                + "`pod_disruption_budget = false`.")
        Boolean protect,

        @Pattern(Patterns.DURATION)
        @JsonPropertyDescription("How long a Job Pod stays protected, e.g. `2h`, counted from its creation: past it "
                + "the label and the annotation come off the pod, the budget no longer selects it and a drain evicts "
                + "it (failing its job). Unset: protected until the job ends (its activeDeadlineSeconds bounds that).")
        String maxWait) {

    public DisruptionSpec {
        protect = protect == null || protect;
        maxWait = maxWait == null || maxWait.isEmpty() ? null : maxWait;
    }

    /** What an unset {@code spec.executor.disruption} means: protected, with no limit. */
    public static DisruptionSpec defaults() {
        return new DisruptionSpec(true, null);
    }
}
