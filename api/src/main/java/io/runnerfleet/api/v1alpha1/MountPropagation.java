package io.runnerfleet.api.v1alpha1;

/**
 * How mounts below a volume propagate (gitlab-runner's {@code mount_propagation}). {@code Bidirectional} works only
 * in privileged containers, which Kubernetes checks.
 */
public enum MountPropagation {
    None,
    HostToContainer,
    Bidirectional
}
