package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A seccomp profile. */
public record SeccompProfile(
        @Required @JsonPropertyDescription("`RuntimeDefault`, `Unconfined` or `Localhost`.")
        SeccompType type,

        @JsonPropertyDescription(
                "Profile file on the node, relative to the kubelet's seccomp directory; only with " + "type Localhost.")
        String localhostProfile) {

    /** Seccomp profile kinds. */
    public enum SeccompType {
        RuntimeDefault,
        Unconfined,
        Localhost
    }
}
