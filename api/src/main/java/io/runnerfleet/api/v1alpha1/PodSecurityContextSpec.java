package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import java.util.List;

/** Security settings of the whole Job Pod ({@code pod_security_context}). */
public record PodSecurityContextSpec(
        @Min(0) @JsonPropertyDescription("Group that owns mounted volumes (`fs_group`).")
        Long fsGroup,

        @Min(0) @JsonPropertyDescription("Group ID the containers run as (`run_as_group`).")
        Long runAsGroup,

        @JsonPropertyDescription("Refuse to start containers that would run as root (`run_as_non_root`).")
        Boolean runAsNonRoot,

        @Min(0) @JsonPropertyDescription("User ID the containers run as (`run_as_user`).")
        Long runAsUser,

        @JsonPropertyDescription("Extra group IDs of the containers' first process (`supplemental_groups`).")
        List<Long> supplementalGroups,

        @JsonPropertyDescription("SELinux type label of the pod (`selinux_type`).")
        String selinuxType,

        @JsonPropertyDescription("Seccomp profile of the pod (`seccomp_profile`).")
        SeccompProfile seccompProfile) {

    public PodSecurityContextSpec {
        supplementalGroups = supplementalGroups == null ? List.of() : List.copyOf(supplementalGroups);
    }
}
