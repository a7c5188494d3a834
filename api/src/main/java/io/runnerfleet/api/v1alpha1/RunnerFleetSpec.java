package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Desired state of a runner fleet. */
public record RunnerFleetSpec(
        @Required @JsonPropertyDescription("The GitLab instance the fleet takes jobs from.")
        GitLabSpec gitlab,

        @JsonPropertyDescription("The runner-manager pods.") ManagersSpec managers,

        @JsonPropertyDescription("The `[[runners]]` entry every manager serves.")
        RunnerSpec runner,

        @JsonPropertyDescription("How each job becomes a Job Pod (`[runners.kubernetes]`).")
        ExecutorSpec executor,

        // Not in config.toml (which would roll the managers): the operator puts it on the managers' Leases, which
        // they read with every renewal (ManagerReport.PAUSED).
        @JsonPropertyDescription("`true`: every manager stops asking GitLab for jobs, as on gitlab-runner's SIGQUIT, "
                + "while running jobs finish; no pod restarts, and `AcceptingJobs` is False with reason `Paused`. "
                + "`false` (or unset) resumes within one check interval.")
        Boolean paused,

        // Not in config.toml either: the operator keeps the pause pods for the whole fleet (gitlab-runner's
        // [runners.kubernetes.autoscaler] has each runner process keep its own).
        @JsonPropertyDescription("Idle capacity kept warm with pause pods sized like the fleet's Job Pod, of a "
                + "negative priority, so Job Pods preempt them and start on nodes a cluster autoscaler already "
                + "added (gitlab-runner's `[runners.kubernetes.autoscaler]`). Unset: none.")
        WarmCapacitySpec warmCapacity) {

    public RunnerFleetSpec(GitLabSpec gitlab, ManagersSpec managers, RunnerSpec runner, ExecutorSpec executor) {
        this(gitlab, managers, runner, executor, null, null);
    }

    public RunnerFleetSpec(
            GitLabSpec gitlab, ManagersSpec managers, RunnerSpec runner, ExecutorSpec executor, Boolean paused) {
        this(gitlab, managers, runner, executor, paused, null);
    }

    public RunnerFleetSpec {
        managers = managers == null ? ManagersSpec.defaults() : managers;
        runner = runner == null ? RunnerSpec.defaults() : runner;
        executor = executor == null ? ExecutorSpec.defaults() : executor;
    }
}
