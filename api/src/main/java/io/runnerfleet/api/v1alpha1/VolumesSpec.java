package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Extra volumes of every Job Pod ({@code [runners.kubernetes.volumes]}). */
public record VolumesSpec(
        @JsonPropertyDescription("Node directories (`host_path`).")
        List<HostPathVolume> hostPath,

        @JsonPropertyDescription("PersistentVolumeClaims (`pvc`).")
        List<PvcVolume> pvc,

        @JsonPropertyDescription("ConfigMaps (`config_map`).")
        List<ObjectVolume> configMap,

        @JsonPropertyDescription("Secrets (`secret`).") List<ObjectVolume> secret,

        @JsonPropertyDescription("Scratch volumes (`empty_dir`).")
        List<EmptyDirVolume> emptyDir,

        @JsonPropertyDescription("Inline CSI volumes (`csi`).")
        List<CsiVolume> csi,

        @JsonPropertyDescription("NFS shares (`nfs`).") List<NfsVolume> nfs) {

    public VolumesSpec {
        hostPath = hostPath == null ? List.of() : List.copyOf(hostPath);
        pvc = pvc == null ? List.of() : List.copyOf(pvc);
        configMap = configMap == null ? List.of() : List.copyOf(configMap);
        secret = secret == null ? List.of() : List.copyOf(secret);
        emptyDir = emptyDir == null ? List.of() : List.copyOf(emptyDir);
        csi = csi == null ? List.of() : List.copyOf(csi);
        nfs = nfs == null ? List.of() : List.copyOf(nfs);
    }

    public static VolumesSpec none() {
        return new VolumesSpec(null, null, null, null, null, null, null);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return hostPath.isEmpty()
                && pvc.isEmpty()
                && configMap.isEmpty()
                && secret.isEmpty()
                && emptyDir.isEmpty()
                && csi.isEmpty()
                && nfs.isEmpty();
    }
}
