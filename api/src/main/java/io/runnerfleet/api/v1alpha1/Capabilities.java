package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Linux capabilities to add to or drop from a container. */
public record Capabilities(
        @JsonPropertyDescription("Capabilities to add, e.g. `SYS_ADMIN`.")
        List<String> add,

        @JsonPropertyDescription("Capabilities to drop, e.g. `ALL` or `NET_RAW`.")
        List<String> drop) {

    public Capabilities {
        add = add == null ? List.of() : List.copyOf(add);
        drop = drop == null ? List.of() : List.copyOf(drop);
    }
}
