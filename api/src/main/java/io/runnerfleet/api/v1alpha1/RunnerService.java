package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A service container every job of the fleet gets, before the job's own services. */
public record RunnerService(
        @Required @Size(min = 1) @JsonPropertyDescription("Service image, e.g. `registry.example.com/docker:dind`.")
        String name,

        @JsonPropertyDescription("Host names for the service, separated by spaces or commas. Without one, the "
                + "names derived from the image apply (`registry.example.com/docker:dind` gives "
                + "`registry.example.com-docker`).")
        String alias,

        @JsonPropertyDescription("Arguments for the service (the container's `args`).")
        List<String> command,

        @JsonPropertyDescription("Replaces the image's entrypoint (the container's `command`).")
        List<String> entrypoint,

        @JsonPropertyDescription("Extra `KEY=value` variables of this service.")
        List<@Pattern(Patterns.ENV_ENTRY) String> environment) {

    public RunnerService {
        command = command == null ? List.of() : List.copyOf(command);
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        environment = environment == null ? List.of() : List.copyOf(environment);
    }
}
