package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The pause pods of {@code spec.warmCapacity} as the operator last saw them. */
public record WarmCapacityStatus(
        @JsonPropertyDescription("Pause pods wanted now: the applying policy's count from the fleet's running jobs, "
                + "held through its idleTime when it falls.")
        Integer desired,

        @JsonPropertyDescription("Pause pods running and ready, each holding one Job Pod's room on a node.")
        Integer ready,

        @JsonPropertyDescription("Which policy applies, as `policies[i]`, or `none` when no policy's periods "
                + "contain the current minute.")
        String policy,

        @JsonPropertyDescription("Why pause pods are missing, when their ReplicaSet cannot create them: its "
                + "`ReplicaFailure` condition's message, e.g. a `spec.warmCapacity.priorityClass` that does not "
                + "exist, or a full ResourceQuota. Absent otherwise.")
        String problem) {}
