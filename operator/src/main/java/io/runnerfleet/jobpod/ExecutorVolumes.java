package io.runnerfleet.jobpod;

import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.runnerfleet.api.v1alpha1.VolumesSpec;
import java.util.ArrayList;
import java.util.List;

/** The fleet's extra volumes ({@code [runners.kubernetes.volumes]}), mounted into every Job Pod container. */
record ExecutorVolumes(List<Volume> volumes, List<VolumeMount> mounts) {

    static ExecutorVolumes of(VolumesSpec spec) {
        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        spec.hostPath().forEach(v -> {
            volumes.add(new VolumeBuilder()
                    .withName(v.name())
                    .withNewHostPath()
                    .withPath(v.hostPath() != null ? v.hostPath() : v.mountPath())
                    .endHostPath()
                    .build());
            mounts.add(mount(v.name(), v.mountPath(), v.subPath(), v.readOnly()));
        });
        spec.pvc().forEach(v -> {
            volumes.add(new VolumeBuilder()
                    .withName(v.name())
                    .withNewPersistentVolumeClaim()
                    .withClaimName(v.name())
                    .withReadOnly(v.readOnly())
                    .endPersistentVolumeClaim()
                    .build());
            mounts.add(mount(v.name(), v.mountPath(), v.subPath(), v.readOnly()));
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
            mounts.add(mount(v.name(), v.mountPath(), v.subPath(), v.readOnly()));
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
            mounts.add(mount(v.name(), v.mountPath(), v.subPath(), v.readOnly()));
        });
        spec.emptyDir().forEach(v -> {
            volumes.add(new VolumeBuilder()
                    .withName(v.name())
                    .withNewEmptyDir()
                    .withMedium(v.medium())
                    .withSizeLimit(v.sizeLimit() == null ? null : new Quantity(v.sizeLimit()))
                    .endEmptyDir()
                    .build());
            mounts.add(mount(v.name(), v.mountPath(), v.subPath(), null));
        });
        return new ExecutorVolumes(List.copyOf(volumes), List.copyOf(mounts));
    }

    boolean coversBuildsDir() {
        return mounts.stream()
                .anyMatch(m -> m.getMountPath().replaceFirst("/+$", "").equals(JobPaths.BUILDS_DIR));
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
