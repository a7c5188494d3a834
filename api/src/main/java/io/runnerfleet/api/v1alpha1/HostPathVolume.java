package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A directory of the node mounted into every Job Pod container. */
public record HostPathVolume(
        @Required @Pattern(Patterns.DNS1123_LABEL) @JsonPropertyDescription("Volume name, unique in the pod.")
        String name,

        @Required
        @Pattern(Patterns.ABSOLUTE_PATH)
        @JsonPropertyDescription("Where the volume is mounted in the containers.")
        String mountPath,

        @JsonPropertyDescription("Sub-path of the volume to mount instead of its root.")
        String subPath,

        @JsonPropertyDescription("Mount read-only.") Boolean readOnly,

        @Pattern(Patterns.ABSOLUTE_PATH) @JsonPropertyDescription("Path on the node; defaults to `mountPath`.")
        String hostPath,

        @JsonPropertyDescription("Mount propagation (`mount_propagation`): `None`, `HostToContainer`, or "
                + "`Bidirectional` (privileged containers only).")
        MountPropagation mountPropagation) {}
