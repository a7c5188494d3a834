package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Whether a manager asks GitLab for a job only when a Job Pod of the fleet's size can start now
 * ({@code spec.executor.capacityAware}). gitlab-runner has no such setting: its Kubernetes executor asks whenever a
 * slot is free and lets the API server refuse the pod ({@code executors/kubernetes/kubernetes.go}, the job then
 * fails), or lets it wait Pending until {@code poll_timeout}.
 */
public enum CapacityAware {
    /**
     * Ask whenever a slot is free, as gitlab-runner does. Not {@code off}: YAML 1.1 readers, kubectl's among them,
     * take an unquoted {@code off} for the boolean false, which the schema would then refuse.
     */
    @JsonProperty("none")
    NONE("none"),
    /** Ask only while every ResourceQuota of the executor namespace has room for one more Job Pod (the default). */
    @JsonProperty("quota")
    QUOTA("quota");

    private final String value;

    CapacityAware(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** The value as {@code config.toml} and the spec spell it, or null for an unknown one. */
    public static CapacityAware fromValue(String value) {
        for (CapacityAware mode : values()) {
            if (mode.value.equals(value)) {
                return mode;
            }
        }
        return null;
    }
}
