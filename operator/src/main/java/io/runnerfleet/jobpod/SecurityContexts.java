package io.runnerfleet.jobpod;

import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.runnerfleet.api.v1alpha1.ContainerSecurityContextSpec;
import io.runnerfleet.api.v1alpha1.PodSecurityContextSpec;
import io.runnerfleet.api.v1alpha1.SeccompProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * Security contexts as gitlab-runner sets them: the per-kind container context wins over the executor's
 * {@code privileged}; {@code NET_RAW} is dropped unless the context adds it back.
 */
public final class SecurityContexts {
    static final String DEFAULT_DROP = "NET_RAW";

    private SecurityContexts() {}

    public static SecurityContext container(ContainerSecurityContextSpec spec, boolean executorPrivileged) {
        return container(spec, executorPrivileged, ImageUser.none());
    }

    /**
     * The container's context with the job's {@code image: kubernetes: user} where {@link ImageUser} lets it through
     * (it is null where the fleet's own runAsUser/runAsGroup decide).
     */
    public static SecurityContext container(
            ContainerSecurityContextSpec spec, boolean executorPrivileged, ImageUser jobUser) {
        SecurityContextBuilder builder = new SecurityContextBuilder();
        Boolean privileged = (spec != null && spec.privileged() != null)
                ? spec.privileged()
                : executorPrivileged ? Boolean.TRUE : null;
        builder.withPrivileged(privileged);
        List<String> add = new ArrayList<>();
        List<String> drop = new ArrayList<>();
        drop.add(DEFAULT_DROP);
        if (spec != null) {
            builder.withAllowPrivilegeEscalation(spec.allowPrivilegeEscalation())
                    .withRunAsUser(spec.runAsUser())
                    .withRunAsGroup(spec.runAsGroup())
                    .withRunAsNonRoot(spec.runAsNonRoot())
                    .withReadOnlyRootFilesystem(spec.readOnlyRootFilesystem());
            if (spec.capabilities() != null) {
                add.addAll(spec.capabilities().add());
                spec.capabilities().drop().stream()
                        .filter(c -> !drop.contains(c))
                        .forEach(drop::add);
            }
            if (spec.seccompProfile() != null) {
                builder.withSeccompProfile(seccomp(spec.seccompProfile()));
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
