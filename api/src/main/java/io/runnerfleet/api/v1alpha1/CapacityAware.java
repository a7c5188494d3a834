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
    QUOTA("quota"),
    /**
     * The quota check, and also: some Ready, schedulable node whose taints the Job Pod tolerates and whose labels
     * match its nodeSelector has its allocatable left for one more Job Pod (its pods' requests and this manager's
     * unbound Job Pods subtracted). A Job Pod must fit both, so this includes {@link #QUOTA}. Needs read access to
     * nodes and pods cluster-wide, which the operator grants only in this mode.
     */
    @JsonProperty("nodes")
    NODES("nodes");

    private final String value;

    CapacityAware(String value) {
        this.value = value;
    }

    /** Whether the executor namespace's ResourceQuotas are checked ({@code quota}, and {@code nodes} too). */
    public boolean checksQuota() {
        return this != NONE;
    }

    /** Whether the nodes' allocatable is checked, which needs the cluster-wide node and pod read access. */
    public boolean checksNodes() {
        return this == NODES;
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
