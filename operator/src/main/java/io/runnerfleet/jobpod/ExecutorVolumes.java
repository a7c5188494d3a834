package io.runnerfleet.jobpod;

import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.runnerfleet.api.v1alpha1.MountPropagation;
import io.runnerfleet.api.v1alpha1.VolumesSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The fleet's extra volumes ({@code [runners.kubernetes.volumes]}), mounted into every Job Pod container. As in
 * gitlab-runner ({@code executors/kubernetes/kubernetes.go}), mount paths and sub-paths, and a PVC's name (the
 * volume's and the claim's), have the job's variables expanded.
 */
record ExecutorVolumes(List<Volume> volumes, List<VolumeMount> mounts) {

    static ExecutorVolumes of(VolumesSpec spec, java.util.function.UnaryOperator<String> expand) {
        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        spec.hostPath().forEach(v -> {
            volumes.add(new VolumeBuilder()
                    .withName(v.name())
                    .withNewHostPath()
                    .withPath(v.hostPath() != null ? v.hostPath() : v.mountPath())
                    .endHostPath()
                    .build());
            mounts.add(propagated(
                    mount(v.name(), expand.apply(v.mountPath()), expandOrNull(expand, v.subPath()), v.readOnly()),
                    v.mountPropagation()));
        });
        spec.pvc().forEach(v -> {
            String name = expand.apply(v.name());
            volumes.add(new VolumeBuilder()
                    .withName(name)
                    .withNewPersistentVolumeClaim()
                    .withClaimName(name)
                    .withReadOnly(v.readOnly())
                    .endPersistentVolumeClaim()
                    .build());
            mounts.add(propagated(
                    mount(name, expand.apply(v.mountPath()), expandOrNull(expand, v.subPath()), v.readOnly()),
                    v.mountPropagation()));
        });
        spec.configMap().forEach(v -> {
            volumes.add(new VolumeBuilder()
                    .withName(v.name())
                    .withNewConfigMap()
                    .withName(v.name())
                    .withItems(v.items().entrySet().stream()
                            .sorted(java.util.Map.Entry.comparingByKey())
                            .map(e -> new KeyToPathBuilder()
                                    .withKey(e.getKey())
                                    .withPath(e.getValue())
                                    .build())
                            .toList())
                    .endConfigMap()
                    .build());
            mounts.add(mount(v.name(), expand.apply(v.mountPath()), expandOrNull(expand, v.subPath()), v.readOnly()));
        });
        spec.secret().forEach(v -> {
            volumes.add(new VolumeBuilder()
                    .withName(v.name())
                    .withNewSecret()
                    .withSecretName(v.name())
                    .withItems(v.items().entrySet().stream()
                            .sorted(java.util.Map.Entry.comparingByKey())
                            .map(e -> new KeyToPathBuilder()
                                    .withKey(e.getKey())
                                    .withPath(e.getValue())
                                    .build())
                            .toList())
                    .endSecret()
                    .build());
            mounts.add(mount(v.name(), expand.apply(v.mountPath()), expandOrNull(expand, v.subPath()), v.readOnly()));
        });
        spec.emptyDir().forEach(v -> {
            volumes.add(new VolumeBuilder()
                    .withName(v.name())
                    .withNewEmptyDir()
                    .withMedium(v.medium())
                    .withSizeLimit(v.sizeLimit() == null ? null : new Quantity(v.sizeLimit()))
                    .endEmptyDir()
                    .build());
            mounts.add(propagated(
                    mount(v.name(), expand.apply(v.mountPath()), expandOrNull(expand, v.subPath()), null),
                    v.mountPropagation()));
        });
        // As gitlab-runner's getVolumes: a CSI volume is inline (ephemeral) with the driver's attributes.
        spec.csi().forEach(v -> {
            volumes.add(new VolumeBuilder()
                    .withName(v.name())
                    .withNewCsi()
                    .withDriver(v.driver())
                    .withFsType(v.fsType() == null || v.fsType().isEmpty() ? null : v.fsType())
                    .withReadOnly(Boolean.TRUE.equals(v.readOnly()) ? Boolean.TRUE : null)
                    .withVolumeAttributes(
                            v.volumeAttributes().isEmpty() ? null : new java.util.TreeMap<>(v.volumeAttributes()))
                    .endCsi()
                    .build());
            mounts.add(mount(v.name(), expand.apply(v.mountPath()), expandOrNull(expand, v.subPath()), v.readOnly()));
        });
        spec.nfs().forEach(v -> {
            volumes.add(new VolumeBuilder()
                    .withName(v.name())
                    .withNewNfs()
                    .withServer(v.server())
                    .withPath(v.path())
                    .withReadOnly(Boolean.TRUE.equals(v.readOnly()) ? Boolean.TRUE : null)
                    .endNfs()
                    .build());
            mounts.add(mount(v.name(), expand.apply(v.mountPath()), expandOrNull(expand, v.subPath()), v.readOnly()));
        });
        return new ExecutorVolumes(List.copyOf(volumes), List.copyOf(mounts));
    }

    boolean coversBuildsDir() {
        return covers(JobPaths.BUILDS_DIR);
    }

    /** A fleet volume at the cache dir keeps caches across jobs; else gitlab-runner adds an emptyDir there. */
    boolean coversCacheDir() {
        return covers(JobPaths.CACHE_DIR);
    }

    private boolean covers(String dir) {
        return mounts.stream()
                .anyMatch(m -> m.getMountPath().replaceFirst("/+$", "").equals(dir));
    }

    private static String expandOrNull(java.util.function.UnaryOperator<String> expand, String value) {
        return value == null ? null : expand.apply(value);
    }

    private static VolumeMount propagated(VolumeMount mount, MountPropagation propagation) {
        if (propagation != null) {
            mount.setMountPropagation(propagation.name());
        }
        return mount;
    }

    private static VolumeMount mount(String name, String path, String subPath, Boolean readOnly) {
        return new VolumeMountBuilder()
                .withName(name)
                .withMountPath(path)
                .withSubPath(subPath)
                .withReadOnly(Boolean.TRUE.equals(readOnly) ? Boolean.TRUE : null)
                .build();
    }
}
