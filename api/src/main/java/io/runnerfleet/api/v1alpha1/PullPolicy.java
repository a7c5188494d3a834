package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** gitlab-runner's image pull policies and the Kubernetes {@code imagePullPolicy} each becomes. */
public enum PullPolicy {
    @JsonProperty("always")
    ALWAYS("always", "Always"),
    @JsonProperty("if-not-present")
    IF_NOT_PRESENT("if-not-present", "IfNotPresent"),
    @JsonProperty("never")
    NEVER("never", "Never");

    private final String value;
    private final String kubernetesValue;

    PullPolicy(String value, String kubernetesValue) {
        this.value = value;
        this.kubernetesValue = kubernetesValue;
    }

    public String value() {
        return value;
    }

    public String kubernetesValue() {
        return kubernetesValue;
    }

    public static PullPolicy fromValue(String value) {
        for (PullPolicy policy : values()) {
            if (policy.value.equals(value)) {
                return policy;
            }
        }
        throw new IllegalArgumentException(
                "unknown pull policy \"" + value + "\"; expected always, if-not-present or never");
    }
}
