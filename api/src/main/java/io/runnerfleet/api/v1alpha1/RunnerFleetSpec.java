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
        ExecutorSpec executor) {

    public RunnerFleetSpec {
        managers = managers == null ? ManagersSpec.defaults() : managers;
        runner = runner == null ? RunnerSpec.defaults() : runner;
        executor = executor == null ? ExecutorSpec.defaults() : executor;
    }
}
