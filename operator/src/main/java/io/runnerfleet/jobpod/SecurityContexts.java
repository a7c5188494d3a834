package io.runnerfleet.jobpod;

import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.runnerfleet.api.v1alpha1.ContainerSecurityContextSpec;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.PodSecurityContextSpec;
import io.runnerfleet.api.v1alpha1.SeccompProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * Security contexts as gitlab-runner sets them ({@code common/config.go}, {@code GetContainerSecurityContext}): the
 * per-kind container context wins over the executor's {@code privileged} and {@code allow_privilege_escalation};
 * {@code NET_RAW} is dropped unless added back. Capabilities: the executor's {@code cap_add}, minus its
 * {@code cap_drop} (which wins, as in gitlab-runner's {@code getCapabilities}), then the container's own. Where
 * gitlab-runner lets a container's list replace the executor's, here both apply (the container's additions win over
 * any drop), so a container context never silently undoes the fleet's {@code cap_drop}.
 */
public final class SecurityContexts {
    static final String DEFAULT_DROP = "NET_RAW";

    private SecurityContexts() {}

    public static SecurityContext container(ContainerSecurityContextSpec spec, ExecutorSpec executor) {
        return container(spec, executor, ImageUser.none());
    }

    /**
     * The container's context with the job's {@code image: kubernetes: user} where {@link ImageUser} lets it through
     * (it is null where the fleet's own runAsUser/runAsGroup decide).
     */
    public static SecurityContext container(
            ContainerSecurityContextSpec spec, ExecutorSpec executor, ImageUser jobUser) {
        SecurityContextBuilder builder = new SecurityContextBuilder();
        Boolean privileged = (spec != null && spec.privileged() != null)
                ? spec.privileged()
                : executor.privileged() ? Boolean.TRUE : null;
        builder.withPrivileged(privileged);
        builder.withAllowPrivilegeEscalation(
                spec != null && spec.allowPrivilegeEscalation() != null
                        ? spec.allowPrivilegeEscalation()
                        : executor.allowPrivilegeEscalation());
        List<String> add = new ArrayList<>(executor.capAdd());
        add.removeAll(executor.capDrop());
        List<String> drop = new ArrayList<>();
        drop.add(DEFAULT_DROP);
        executor.capDrop().stream().filter(c -> !drop.contains(c)).forEach(drop::add);
        if (spec != null) {
            builder.withRunAsUser(spec.runAsUser())
                    .withRunAsGroup(spec.runAsGroup())
                    .withRunAsNonRoot(spec.runAsNonRoot())
                    .withReadOnlyRootFilesystem(spec.readOnlyRootFilesystem());
            if (spec.capabilities() != null) {
                spec.capabilities().add().stream().filter(c -> !add.contains(c)).forEach(add::add);
                spec.capabilities().drop().stream()
                        .filter(c -> !drop.contains(c))
                        .forEach(drop::add);
            }
            if (spec.seccompProfile() != null) {
                builder.withSeccompProfile(seccomp(spec.seccompProfile()));
            }
            if (spec.selinuxType() != null) {
                builder.withNewSeLinuxOptions().withType(spec.selinuxType()).endSeLinuxOptions();
            }
            if (spec.procMount() != null) {
                builder.withProcMount(spec.procMount().name());
            }
            if (spec.appArmorProfile() != null) {
                builder.withNewAppArmorProfile()
                        .withType(spec.appArmorProfile().type().name())
                        .withLocalhostProfile(spec.appArmorProfile().localhostProfile())
                        .endAppArmorProfile();
            }
        }
        if (jobUser.runAsUser() != null) {
            builder.withRunAsUser(jobUser.runAsUser());
        }
        if (jobUser.runAsGroup() != null) {
            builder.withRunAsGroup(jobUser.runAsGroup());
        }
        drop.removeAll(add);
        builder.withCapabilities(new CapabilitiesBuilder()
                .withAdd(add.isEmpty() ? null : add)
                .withDrop(drop.isEmpty() ? null : drop)
                .build());
        return builder.build();
    }

    /**
     * The {@code prepare} init container's context. gitlab-runner gives its init-permissions container
     * {@code init_permissions_container_security_context} ({@code executors/kubernetes/kubernetes.go},
     * {@code buildPermissionsInitContainer}); {@code prepare} is the init container here, but it also does the helper
     * container's work there (clone, cache, artifacts), so without that key it keeps the helper's context.
     */
    public static SecurityContext prepare(ExecutorSpec executor) {
        return container(
                executor.prepareSecurityContext() != null
                        ? executor.prepareSecurityContext()
                        : executor.helperSecurityContext(),
                executor);
    }

    /** Null when the fleet sets nothing, so the pod carries no empty {@code securityContext}. */
    public static PodSecurityContext pod(PodSecurityContextSpec spec) {
        if (spec == null) {
            return null;
        }
        PodSecurityContextBuilder builder = new PodSecurityContextBuilder()
                .withFsGroup(spec.fsGroup())
                .withRunAsGroup(spec.runAsGroup())
                .withRunAsNonRoot(spec.runAsNonRoot())
                .withRunAsUser(spec.runAsUser())
                .withSupplementalGroups(spec.supplementalGroups().isEmpty() ? null : spec.supplementalGroups());
        if (spec.selinuxType() != null) {
            builder.withNewSeLinuxOptions().withType(spec.selinuxType()).endSeLinuxOptions();
        }
        if (spec.seccompProfile() != null) {
            builder.withSeccompProfile(seccomp(spec.seccompProfile()));
        }
        return builder.build();
    }

    private static io.fabric8.kubernetes.api.model.SeccompProfile seccomp(SeccompProfile profile) {
        return new SeccompProfileBuilder()
                .withType(profile.type().name())
                .withLocalhostProfile(profile.localhostProfile())
                .build();
    }
}
