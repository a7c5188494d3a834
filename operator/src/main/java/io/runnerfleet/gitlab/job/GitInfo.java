package io.runnerfleet.gitlab.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code git_info}: where the sources come from. {@code repo_url} carries the job token as its password, so it is a
 * secret like the token itself.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GitInfo(
        @JsonProperty(value = "repo_url", required = true) String repoUrl,
        @JsonProperty(value = "sha", required = true) String sha,
        @JsonProperty("before_sha") String beforeSha,
        @JsonProperty("ref") String ref,
        @JsonProperty("ref_type") String refType,
        @JsonProperty("refspecs") List<String> refspecs,
        @JsonProperty("depth") int depth,
        @JsonProperty("protected") Boolean isProtected,
        @JsonProperty("repo_object_format") String repoObjectFormat) {

    public GitInfo {
        refspecs = refspecs == null ? List.of() : List.copyOf(refspecs);
    }

    /** {@code sha1} unless GitLab says otherwise, as gitlab-runner's {@code GetRepositoryObjectFormat}. */
    public String objectFormat() {
        return repoObjectFormat == null || repoObjectFormat.isBlank() ? "sha1" : repoObjectFormat;
    }

    @Override
    public String toString() {
        return "GitInfo[sha=" + sha + ", ref=" + ref + "]";
    }
}
