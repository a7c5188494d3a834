package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** Security settings of one kind of Job Pod container; a value here wins over the executor's {@code privileged}. */
public record ContainerSecurityContextSpec(
        @JsonPropertyDescription("Run privileged; DinD needs this.")
        Boolean privileged,

        @JsonPropertyDescription("Allow a process to gain more privileges than its parent.")
        Boolean allowPrivilegeEscalation,

        @Min(0) @JsonPropertyDescription("User ID the container runs as.")
        Long runAsUser,

        @Min(0) @JsonPropertyDescription("Group ID the container runs as.")
        Long runAsGroup,

        @JsonPropertyDescription("Refuse to start the container as root.")
        Boolean runAsNonRoot,

        @JsonPropertyDescription("Mount the container's root filesystem read-only.")
        Boolean readOnlyRootFilesystem,

        @JsonPropertyDescription("Capabilities to add or drop.")
        Capabilities capabilities,

        @JsonPropertyDescription("Seccomp profile of the container.")
        SeccompProfile seccompProfile,

        @JsonPropertyDescription("SELinux type label of the container's processes (`selinux_type`).")
        String selinuxType,

        @JsonPropertyDescription("AppArmor profile of the container (`app_armor_profile`; Kubernetes 1.30+).")
        AppArmorProfile appArmorProfile,

        @JsonPropertyDescription("`Default` or `Unmasked` (`proc_mount`): how much of `/proc` the container sees; "
                + "`Unmasked` needs a pod with `hostUsers: false`.")
        ProcMount procMount) {}
