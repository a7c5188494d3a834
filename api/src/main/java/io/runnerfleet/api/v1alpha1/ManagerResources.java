package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** CPU and memory for the manager container, as in a Kubernetes container's {@code resources}. */
public record ManagerResources(
        @JsonPropertyDescription("Resource limits by name (`cpu`, `memory`, `ephemeral-storage`), as quantities.")
        Map<String, String> limits,

        @JsonPropertyDescription("Resource requests by name (`cpu`, `memory`, `ephemeral-storage`), as quantities.")
        Map<String, String> requests) {

    public ManagerResources {
        limits = limits == null ? Map.of() : Map.copyOf(limits);
        requests = requests == null ? Map.of() : Map.copyOf(requests);
    }

    public static ManagerResources defaults() {
        return new ManagerResources(Map.of("memory", "512Mi"), Map.of("cpu", "100m", "memory", "256Mi"));
    }
}
