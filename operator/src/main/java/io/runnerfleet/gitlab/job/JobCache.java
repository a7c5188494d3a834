package io.runnerfleet.gitlab.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One {@code cache} entry. {@code policy}: {@code pull-push} (default), {@code pull} or {@code push}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobCache(
        @JsonProperty("key") String key,
        @JsonProperty("untracked") boolean untracked,
        @JsonProperty("policy") String policy,
        @JsonProperty("paths") List<String> paths,
        @JsonProperty("when") String when,
        @JsonProperty("fallback_keys") List<String> fallbackKeys) {

    public JobCache {
        paths = paths == null ? List.of() : List.copyOf(paths);
        fallbackKeys = fallbackKeys == null ? List.of() : List.copyOf(fallbackKeys);
    }

    public boolean pulls() {
        return policy == null || policy.isEmpty() || policy.equals("pull-push") || policy.equals("pull");
    }

    public boolean pushes() {
        return policy == null || policy.isEmpty() || policy.equals("pull-push") || policy.equals("push");
    }
}
