package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/**
 * Limits and requests of one kind of Job Pod container (build, helper or service), with the caps up to which a
 * job may raise them through {@code KUBERNETES_*} variables. Unset means "not set on the container".
 */
public record ContainerResources(
        @Pattern(Patterns.QUANTITY) @JsonPropertyDescription("CPU limit, e.g. `2` or `500m`.")
        String cpuLimit,

        @Pattern(Patterns.QUANTITY) @JsonPropertyDescription("CPU request, e.g. `500m`.")
        String cpuRequest,

        @Pattern(Patterns.QUANTITY) @JsonPropertyDescription("Memory limit, e.g. `2Gi`.")
        String memoryLimit,

        @Pattern(Patterns.QUANTITY) @JsonPropertyDescription("Memory request, e.g. `512Mi`.")
        String memoryRequest,

        @Pattern(Patterns.QUANTITY) @JsonPropertyDescription("Ephemeral storage limit, e.g. `10Gi`.")
        String ephemeralStorageLimit,

        @Pattern(Patterns.QUANTITY) @JsonPropertyDescription("Ephemeral storage request, e.g. `1Gi`.")
        String ephemeralStorageRequest,

        @Pattern(Patterns.QUANTITY)
        @JsonPropertyDescription("Highest CPU limit a job may ask for with its `KUBERNETES_*CPU_LIMIT` variable; "
                + "unset forbids the override.")
        String cpuLimitOverwriteMaxAllowed,

        @Pattern(Patterns.QUANTITY)
        @JsonPropertyDescription("Highest CPU request a job may ask for with its `KUBERNETES_*CPU_REQUEST` variable.")
        String cpuRequestOverwriteMaxAllowed,

        @Pattern(Patterns.QUANTITY)
        @JsonPropertyDescription(
                "Highest memory limit a job may ask for with its `KUBERNETES_*MEMORY_LIMIT` " + "variable.")
        String memoryLimitOverwriteMaxAllowed,

        @Pattern(Patterns.QUANTITY)
        @JsonPropertyDescription(
                "Highest memory request a job may ask for with its `KUBERNETES_*MEMORY_REQUEST` " + "variable.")
        String memoryRequestOverwriteMaxAllowed,

        @Pattern(Patterns.QUANTITY)
        @JsonPropertyDescription("Highest ephemeral storage limit a job may ask for with its "
                + "`KUBERNETES_*EPHEMERAL_STORAGE_LIMIT` variable.")
        String ephemeralStorageLimitOverwriteMaxAllowed,

        @Pattern(Patterns.QUANTITY)
        @JsonPropertyDescription("Highest ephemeral storage request a job may ask for with its "
                + "`KUBERNETES_*EPHEMERAL_STORAGE_REQUEST` variable.")
        String ephemeralStorageRequestOverwriteMaxAllowed) {

    public static ContainerResources none() {
        return new ContainerResources(null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
