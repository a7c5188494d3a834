package io.runnerfleet.gitlab.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A job whose artifacts this job downloads before its script. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobDependency(
        @JsonProperty(value = "id", required = true) long id,
        @JsonProperty("token") String token,
        @JsonProperty("name") String name,
        @JsonProperty("artifacts_file") ArtifactsFile artifactsFile) {

    /** The dependency's artifacts archive; absent when it has none. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ArtifactsFile(
            @JsonProperty("filename") String filename,
            @JsonProperty("size") long size) {}

    public boolean hasArtifacts() {
        return artifactsFile != null
                && artifactsFile.filename() != null
                && !artifactsFile.filename().isEmpty();
    }

    @Override
    public String toString() {
        return "JobDependency[id=" + id + ", name=" + name + "]";
    }
}
