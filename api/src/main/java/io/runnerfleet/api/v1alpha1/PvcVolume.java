package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** An existing PersistentVolumeClaim in the executor namespace, mounted into every Job Pod container. */
public record PvcVolume(
        @Required
        @Pattern(Patterns.DNS1123_SUBDOMAIN)
        @JsonPropertyDescription("Name of the claim; also the volume's name.")
        String name,

        @Required
        @Pattern(Patterns.ABSOLUTE_PATH)
        @JsonPropertyDescription("Where the volume is mounted in the containers.")
        String mountPath,

        @JsonPropertyDescription("Sub-path of the volume to mount instead of its root.")
        String subPath,

        @JsonPropertyDescription("Mount read-only.") Boolean readOnly,

        @JsonPropertyDescription("Mount propagation (`mount_propagation`): `None`, `HostToContainer`, or "
                + "`Bidirectional` (privileged containers only).")
        MountPropagation mountPropagation) {}
