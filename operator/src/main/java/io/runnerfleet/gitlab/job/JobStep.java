package io.runnerfleet.gitlab.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One step: {@code script} (before_script and script, already joined by GitLab) or {@code after_script}.
 * {@code when} is {@code on_success}, {@code on_failure} or {@code always}; {@code timeout} is in seconds.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobStep(
        @JsonProperty(value = "name", required = true) String name,
        @JsonProperty("script") List<String> script,
        @JsonProperty("timeout") int timeout,
        @JsonProperty("when") String when,
        @JsonProperty("allow_failure") boolean allowFailure) {

    public static final String SCRIPT = "script";
    public static final String AFTER_SCRIPT = "after_script";

    public JobStep {
        script = script == null ? List.of() : List.copyOf(script);
    }
}
