package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A scratch volume that lives as long as the Job Pod, mounted into every container. */
public record EmptyDirVolume(
        @Required @Pattern(Patterns.DNS1123_LABEL) @JsonPropertyDescription("Volume name, unique in the pod.")
        String name,

        @Required
        @Pattern(Patterns.ABSOLUTE_PATH)
        @JsonPropertyDescription("Where the volume is mounted in the containers.")
        String mountPath,

        @JsonPropertyDescription("Sub-path of the volume to mount instead of its root.")
        String subPath,

        @JsonPropertyDescription("`Memory` for a tmpfs; empty for the node's disk.")
        String medium,

        @Pattern(Patterns.QUANTITY) @JsonPropertyDescription("Size limit, e.g. `1Gi`.")
        String sizeLimit,

        @JsonPropertyDescription("Mount propagation (`mount_propagation`): `None`, `HostToContainer`, or "
                + "`Bidirectional` (privileged containers only).")
        MountPropagation mountPropagation) {}
