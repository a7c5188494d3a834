package io.runnerfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One resolver option, written into the pods' {@code resolv.conf} as {@code options name[:value]}. */
public record DnsOption(
        @Required @Size(min = 1) @JsonPropertyDescription("Option name, e.g. `ndots`, `timeout`, `attempts`, `edns0`.")
        String name,

        @JsonPropertyDescription("Option value, e.g. `2` for ndots; omitted for flag options such as `edns0`.")
        String value) {}
