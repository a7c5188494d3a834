package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** A ConfigMap or Secret of the executor namespace, mounted by name into every Job Pod container. */
public record ObjectVolume(
        @Required
        @Pattern(Patterns.DNS1123_SUBDOMAIN)
        @JsonPropertyDescription("Name of the ConfigMap or Secret; also the volume's name.")
        String name,

        @Required
        @Pattern(Patterns.ABSOLUTE_PATH)
        @JsonPropertyDescription("Where the volume is mounted in the containers.")
        String mountPath,

        @JsonPropertyDescription("Sub-path of the volume to mount instead of its root.")
        String subPath,

        @JsonPropertyDescription("Mount read-only.") Boolean readOnly,

        @JsonPropertyDescription("Keys to project, each to a relative path; empty projects every key.")
        Map<String, String> items) {

    public ObjectVolume {
        items = items == null ? Map.of() : Map.copyOf(items);
    }
}
