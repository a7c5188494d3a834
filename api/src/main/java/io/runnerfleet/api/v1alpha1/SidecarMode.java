package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How service containers are placed in the Job Pod. */
public enum SidecarMode {
    /** Init containers with {@code restartPolicy: Always} (Kubernetes 1.29+): the build starts once they are up. */
    @JsonProperty("native")
    NATIVE("native"),
    /** Ordinary containers next to the build, for clusters older than 1.29. */
    @JsonProperty("containers")
    CONTAINERS("containers");

    private final String value;

    SidecarMode(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static SidecarMode fromValue(String value) {
        for (SidecarMode mode : values()) {
            if (mode.value.equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown sidecar mode \"" + value + "\"; expected native or containers");
    }
}
