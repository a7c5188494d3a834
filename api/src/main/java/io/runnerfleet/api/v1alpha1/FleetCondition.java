package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * One aspect of a fleet's state, following the Kubernetes API conventions for conditions. {@code type},
 * {@code status} and {@code reason} are the values of {@link FleetConditionType}, {@link ConditionStatus} and
 * {@link FleetConditionReason}; on the wire they stay strings, so a status written by another version of the
 * operator still reads. The descriptions below name every value; CrdTest fails when one is missing.
 */
public record FleetCondition(
        @Required
        @JsonPropertyDescription(
                "Condition type: `Ready`, `Progressing`, `Degraded`, `TokenSecretFound`, `Diagnostics`, "
                        + "`GitLabReachable`, `AcceptingJobs`, `TokenExpiring` or `CapacityLimited`.")
        String type,

        @Required @JsonPropertyDescription("`True`, `False` or `Unknown`.")
        String status,

        @JsonPropertyDescription("Machine-readable CamelCase reason for the status. Ready: `ManagersReady`, "
                + "`ManagersNotReady`, `ManagersNotCreated`, `ScaledToZero`, `InvalidSpec`, `TokenSecretMissing`. "
                + "Progressing: `Creating`, `RollingOut`, `RolledOut`, `Blocked`. Degraded: `AsExpected`, "
                + "`InvalidSpec`, `TokenSecretMissing`, `ApplyFailed`. TokenSecretFound: `SecretFound`, `SecretNotFound`, "
                + "`KeyNotFound`. Diagnostics: `MisconfigurationFound`, `NoneFound`, `InvalidSpec` (not checked). "
                + "GitLabReachable: `Reached`, `Unreachable`, `NoManagerReport`. AcceptingJobs: `TokenAccepted`, "
                + "`TokenRejected`, `BackingOff`, `Paused`, `NoManagerReport`. TokenExpiring: `ExpiresSoon`, `RotationFailed`, `NotExpiringSoon`, `NoExpiry`, "
                + "`NoManagerReport`. CapacityLimited: `QuotaFull`, `NodesFull`, `CapacityAvailable`, `CapacityCheckOff`, "
                + "`NoManagerReport`.")
        String reason,

        @JsonPropertyDescription("What is going on, and what to do about it, for a human.")
        String message,

        @JsonPropertyDescription("When `status` last changed (RFC 3339).")
        String lastTransitionTime,

        @JsonPropertyDescription("The `metadata.generation` this condition was computed from.")
        Long observedGeneration) {

    public static FleetCondition of(
            FleetConditionType type,
            ConditionStatus status,
            FleetConditionReason reason,
            String message,
            String lastTransitionTime,
            Long observedGeneration) {
        return new FleetCondition(
                type.value(), status.value(), reason.value(), message, lastTransitionTime, observedGeneration);
    }

    /** Whether this condition is of the given type (named so that Jackson does not take it for a property). */
    public boolean hasType(FleetConditionType expected) {
        return expected.value().equals(type);
    }

    public boolean hasStatus(ConditionStatus expected) {
        return expected.value().equals(status);
    }
}
