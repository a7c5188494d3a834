package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** One aspect of a fleet's state, following the Kubernetes API conventions for conditions. */
public record FleetCondition(
        @Required
        @JsonPropertyDescription("Condition type: `Ready`, `Progressing`, `Degraded` or `TokenSecretFound`.")
        String type,
        @Required
        @JsonPropertyDescription("`True`, `False` or `Unknown`.")
        String status,
        @JsonPropertyDescription("Machine-readable CamelCase reason for the status.")
        String reason,
        @JsonPropertyDescription("What is going on, and what to do about it, for a human.")
        String message,
        @JsonPropertyDescription("When `status` last changed (RFC 3339).")
        String lastTransitionTime,
        @JsonPropertyDescription("The `metadata.generation` this condition was computed from.")
        Long observedGeneration) {
}
