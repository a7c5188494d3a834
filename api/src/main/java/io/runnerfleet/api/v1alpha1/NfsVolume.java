package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** An NFS share ({@code [[runners.kubernetes.volumes.nfs]]}), mounted into every Job Pod container. */
public record NfsVolume(
        @Required @Pattern(Patterns.DNS1123_LABEL) @JsonPropertyDescription("Volume name, unique in the pod.")
        String name,

        @Required
        @Pattern(Patterns.ABSOLUTE_PATH)
        @JsonPropertyDescription("Where the volume is mounted in the containers.")
        String mountPath,

        @JsonPropertyDescription("Sub-path of the volume to mount instead of its root.")
        String subPath,

        @JsonPropertyDescription("Mount read-only.") Boolean readOnly,

        @Required @JsonPropertyDescription("NFS server, a host name or IP address.")
        String server,

        @Required @Pattern(Patterns.ABSOLUTE_PATH) @JsonPropertyDescription("Exported path on the server.")
        String path) {}
