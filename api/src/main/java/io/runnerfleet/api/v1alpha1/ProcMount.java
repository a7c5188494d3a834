package io.runnerfleet.api.v1alpha1;

/**
 * A container's {@code procMount} (gitlab-runner's {@code proc_mount}, {@code common/config.go},
 * {@code getProcMount}): {@code Unmasked} lets a container that builds OCI images see all of {@code /proc}; Kubernetes
 * accepts it only in a pod with {@code hostUsers: false} (a user namespace).
 */
public enum ProcMount {
    Default,
    Unmasked
}
