package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * One of gitlab-runner's {@code [[runners.kubernetes.pod_spec]]} patches, applied to the Job Pod's spec after
 * everything else, in order.
 */
public record PodSpecPatch(
        @Required @JsonPropertyDescription("Name of the patch, for messages.")
        String name,

        @Required
        @JsonPropertyDescription("The patch, in YAML or JSON: a partial pod spec (`strategic`, `merge`) or a list of "
                + "RFC 6902 operations (`json`).")
        String patch,

        @Pattern("^(strategic|json|merge)$")
        @JsonPropertyDescription("`strategic` (the default: lists of containers, volumes, env and the like merge by "
                + "name), `merge` (RFC 7386) or `json` (RFC 6902).")
        String patchType) {}
