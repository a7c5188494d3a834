package io.runnerfleet.gitlab.client;

/**
 * The GitLab API calls the client makes, named as gitlab-runner labels them in
 * {@code gitlab_runner_api_request_statuses_total{endpoint=...}}.
 */
public enum ApiEndpoint {
    VERIFY_RUNNER("verify_runner"),
    REQUEST_JOB("request_job"),
    UPDATE_JOB("update_job"),
    PATCH_TRACE("patch_trace"),
    RESET_TOKEN("reset_token");

    private final String label;

    ApiEndpoint(String label) {
        this.label = label;
    }

    /** The value of the metric's {@code endpoint} label. */
    public String label() {
        return label;
    }
}
