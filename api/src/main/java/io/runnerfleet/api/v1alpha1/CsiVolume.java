package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** An inline CSI volume ({@code [[runners.kubernetes.volumes.csi]]}), mounted into every Job Pod container. */
public record CsiVolume(
        @Required @Pattern(Patterns.DNS1123_LABEL) @JsonPropertyDescription("Volume name, unique in the pod.")
        String name,

        @Required
        @Pattern(Patterns.ABSOLUTE_PATH)
        @JsonPropertyDescription("Where the volume is mounted in the containers.")
        String mountPath,

        @JsonPropertyDescription("Sub-path of the volume to mount instead of its root.")
        String subPath,

        @JsonPropertyDescription("Mount read-only.") Boolean readOnly,

        @Required @JsonPropertyDescription("CSI driver, e.g. `secrets-store.csi.k8s.io`.")
        String driver,

        @JsonPropertyDescription("Filesystem type; empty lets the driver choose.")
        String fsType,

        @JsonPropertyDescription("Driver-specific attributes (`volume_attributes`).")
        Map<String, String> volumeAttributes) {

    public CsiVolume {
        volumeAttributes = volumeAttributes == null ? Map.of() : Map.copyOf(volumeAttributes);
    }
}
