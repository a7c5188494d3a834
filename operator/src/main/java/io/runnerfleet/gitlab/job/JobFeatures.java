package io.runnerfleet.gitlab.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code features}: what GitLab accepts back, e.g. which {@code failure_reason} values it knows. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobFeatures(
        @JsonProperty("trace_sections") boolean traceSections,
        @JsonProperty("token_mask_prefixes") List<String> tokenMaskPrefixes,
        @JsonProperty("failure_reasons") List<String> failureReasons) {

    public JobFeatures {
        tokenMaskPrefixes = tokenMaskPrefixes == null ? List.of() : List.copyOf(tokenMaskPrefixes);
        failureReasons = failureReasons == null ? List.of() : List.copyOf(failureReasons);
    }
}
