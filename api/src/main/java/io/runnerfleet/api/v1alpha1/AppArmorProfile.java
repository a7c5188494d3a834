package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** An AppArmor profile of a container (Kubernetes 1.30+). */
public record AppArmorProfile(
        @Required @JsonPropertyDescription("`RuntimeDefault`, `Unconfined` or `Localhost`.")
        AppArmorType type,

        @JsonPropertyDescription("Profile loaded on the node; only with type Localhost.")
        String localhostProfile) {

    /** AppArmor profile kinds. */
    public enum AppArmorType {
        RuntimeDefault,
        Unconfined,
        Localhost
    }
}
