package io.runnerfleet.gitlab.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One {@code artifacts} entry: what the helper uploads after the build, and {@code when}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobArtifact(
        @JsonProperty("name") String name,
        @JsonProperty("untracked") boolean untracked,
        @JsonProperty("paths") List<String> paths,
        @JsonProperty("exclude") List<String> exclude,
        @JsonProperty("when") String when,
        @JsonProperty("artifact_type") String artifactType,
        @JsonProperty("artifact_format") String artifactFormat,
        @JsonProperty("expire_in") String expireIn) {

    public JobArtifact {
        paths = paths == null ? List.of() : List.copyOf(paths);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }
}
