package io.runnerfleet.gitlab.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One of the job's {@code hooks} ({@code .gitlab-ci.yml} {@code hooks:}; gitlab-runner's {@code spec.Hook}):
 * {@code pre_get_sources_script} or {@code post_get_sources_script} and its commands.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobHook(
        @JsonProperty("name") String name,
        @JsonProperty("script") List<String> script) {
    public static final String PRE_GET_SOURCES_SCRIPT = "pre_get_sources_script";
    public static final String POST_GET_SOURCES_SCRIPT = "post_get_sources_script";

    public JobHook {
        script = script == null ? List.of() : List.copyOf(script);
    }
}
