package io.runnerfleet.gitlab.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code runner_info}: {@code timeout} is the job timeout in seconds; 0 or less means GitLab's default. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunnerInfo(
        @JsonProperty("uuid") String uuid,
        @JsonProperty("timeout") int timeout) {}
