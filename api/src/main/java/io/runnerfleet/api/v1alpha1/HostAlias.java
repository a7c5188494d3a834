package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** An extra {@code /etc/hosts} entry in every Job Pod, after the services' 127.0.0.1 entry. */
public record HostAlias(
        @Required @Pattern(Patterns.IP_ADDRESS) @JsonPropertyDescription("IP address the host names resolve to.")
        String ip,

        @Required @Size(min = 1) @JsonPropertyDescription("Host names for the address.")
        List<String> hostnames) {

    public HostAlias {
        hostnames = hostnames == null ? List.of() : List.copyOf(hostnames);
    }
}
