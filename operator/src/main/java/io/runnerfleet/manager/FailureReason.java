package io.runnerfleet.manager;

import java.util.Collection;

/** GitLab's job failure reasons (docs/gitlab-protocol.md), and the fallback when a job's GitLab does not know one. */
public enum FailureReason {
    SCRIPT_FAILURE("script_failure"),
    RUNNER_SYSTEM_FAILURE("runner_system_failure"),
    JOB_EXECUTION_TIMEOUT("job_execution_timeout"),
    IMAGE_PULL_FAILURE("image_pull_failure"),
    UNKNOWN_FAILURE("unknown_failure"),
    RUNNER_CONFIGURATION_ERROR("runner_configuration_error"),
    RUNNER_EXTERNAL_DEPENDENCY_FAILURE("runner_external_dependency_failure"),
    /**
     * gitlab-runner's {@code job_canceled} ({@code common/network.go}): internal to the runner, unknown to Rails, so it
     * goes out as {@code unknown_failure} unless a job lists it; GitLab moves a canceling job to canceled on any final
     * update.
     */
    JOB_CANCELED("job_canceled"),
    /**
     * GitLab's own reason for a job the runner cannot run (Rails drops such a job with it when the runner's
     * {@code info.features} lack what the job needs). Sent when the job lists it; otherwise as gitlab-runner reports an
     * unsupported job ({@code commands/multi.go}): {@code runner_system_failure}.
     */
    RUNNER_UNSUPPORTED("runner_unsupported");

    private final String wireName;

    FailureReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /**
     * The reason to send, given the job's {@code features.failure_reasons}: script, system and timeout are always
     * understood; the others fall back as gitlab-runner's failure_reason_mapper does.
     */
    public String forGitLab(Collection<String> supported) {
        if (this == SCRIPT_FAILURE
                || this == RUNNER_SYSTEM_FAILURE
                || this == JOB_EXECUTION_TIMEOUT
                || supported.contains(wireName)) {
            return wireName;
        }
        return switch (this) {
            case IMAGE_PULL_FAILURE, RUNNER_EXTERNAL_DEPENDENCY_FAILURE, RUNNER_UNSUPPORTED ->
                RUNNER_SYSTEM_FAILURE.wireName;
            case RUNNER_CONFIGURATION_ERROR -> SCRIPT_FAILURE.wireName;
            default -> UNKNOWN_FAILURE.wireName;
        };
    }
}
