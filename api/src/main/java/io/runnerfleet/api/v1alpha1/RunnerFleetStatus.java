package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Optional;

/** Observed state of a runner fleet. */
public record RunnerFleetStatus(
        @JsonPropertyDescription("The `metadata.generation` the operator last acted on.")
        Long observedGeneration,

        @JsonPropertyDescription("Desired manager pods.") Integer replicas,

        @JsonPropertyDescription("Manager pods that are ready.")
        Integer readyManagers,

        @JsonPropertyDescription("Ready and desired managers as `ready/desired`, for `kubectl get`.")
        String managers,

        @JsonPropertyDescription("Jobs the fleet can run at once: desired managers x concurrent.")
        Integer capacity,

        @JsonPropertyDescription("Job Pods of this fleet that are Pending or Running.")
        Integer runningJobs,

        @JsonPropertyDescription("Hash of the rendered `config.toml`; managers roll when it changes.")
        String configHash,

        @JsonPropertyDescription(
                "Conditions: `Ready`, `Progressing`, `Degraded`, `TokenSecretFound`, "
                        + "`Diagnostics` (known misconfigurations, as `runner-fleet explain` warns of them), and from what the "
                        + "managers report on their Leases `GitLabReachable`, `AcceptingJobs`, `TokenExpiring`, `CapacityLimited`.")
        List<FleetCondition> conditions,

        @JsonPropertyDescription("The pause pods of `spec.warmCapacity`; unset without it.")
        WarmCapacityStatus warmCapacity) {

    public RunnerFleetStatus(
            Long observedGeneration,
            Integer replicas,
            Integer readyManagers,
            String managers,
            Integer capacity,
            Integer runningJobs,
            String configHash,
            List<FleetCondition> conditions) {
        this(
                observedGeneration,
                replicas,
                readyManagers,
                managers,
                capacity,
                runningJobs,
                configHash,
                conditions,
                null);
    }

    public RunnerFleetStatus {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    public Optional<FleetCondition> condition(FleetConditionType type) {
        return conditions.stream().filter(c -> c.hasType(type)).findFirst();
    }
}
