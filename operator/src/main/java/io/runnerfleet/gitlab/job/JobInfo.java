package io.runnerfleet.gitlab.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code job_info}: which job of which project and pipeline. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobInfo(
        @JsonProperty("name") String name,
        @JsonProperty("stage") String stage,
        @JsonProperty("pipeline_id") long pipelineId,
        @JsonProperty(value = "project_id", required = true) long projectId,
        @JsonProperty("project_name") String projectName,
        @JsonProperty("project_full_path") String projectFullPath,
        @JsonProperty("namespace_id") Long namespaceId,
        @JsonProperty("root_namespace_id") Long rootNamespaceId,
        @JsonProperty("user_id") Long userId) {}
