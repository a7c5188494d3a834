package io.runnerfleet.metrics;

import java.util.List;

/**
 * Every metric the project exports. The manager's names and labels are gitlab-runner's own, so existing dashboards
 * keep working; ours start with {@code runner_fleet_}. The shipped dashboard and alerts may query only these.
 */
public final class MetricNames {
    // gitlab-runner's, exported by each manager on :9252
    public static final String JOBS = "gitlab_runner_jobs";
    public static final String JOBS_TOTAL = "gitlab_runner_jobs_total";
    public static final String CONCURRENT = "gitlab_runner_concurrent";
    public static final String LIMIT = "gitlab_runner_limit";
    public static final String JOB_DURATION_SECONDS = "gitlab_runner_job_duration_seconds";
    public static final String FAILED_JOBS_TOTAL = "gitlab_runner_failed_jobs_total";
    public static final String API_REQUEST_STATUSES_TOTAL = "gitlab_runner_api_request_statuses_total";
    public static final String ERRORS_TOTAL = "gitlab_runner_errors_total";
    public static final String VERSION_INFO = "gitlab_runner_version_info";
    public static final String WORKER_HEALTH_CHECK_FAILURES_TOTAL = "gitlab_runner_worker_health_check_failures_total";

    // ours, exported by each manager
    public static final String JOB_PICKUP_SECONDS = "runner_fleet_job_pickup_seconds";
    public static final String POD_START_SECONDS = "runner_fleet_pod_start_seconds";
    public static final String JOBS_ADOPTED_TOTAL = "runner_fleet_jobs_adopted_total";
    public static final String ORPHANS_DELETED_TOTAL = "runner_fleet_orphans_deleted_total";
    public static final String REQUESTS_SKIPPED_TOTAL = "runner_fleet_requests_skipped_total";

    // ours, exported by the operator
    public static final String FLEET_READY = "runner_fleet_fleet_ready";
    public static final String TOKEN_EXPIRES = "runner_fleet_token_expires_timestamp_seconds";

    /** Histograms, which Prometheus exposes as {@code _bucket}, {@code _sum} and {@code _count} series. */
    public static final List<String> HISTOGRAMS = List.of(JOB_DURATION_SECONDS, JOB_PICKUP_SECONDS, POD_START_SECONDS);

    public static final List<String> MANAGER = List.of(
            JOBS,
            JOBS_TOTAL,
            CONCURRENT,
            LIMIT,
            JOB_DURATION_SECONDS,
            FAILED_JOBS_TOTAL,
            API_REQUEST_STATUSES_TOTAL,
            ERRORS_TOTAL,
            VERSION_INFO,
            WORKER_HEALTH_CHECK_FAILURES_TOTAL,
            JOB_PICKUP_SECONDS,
            POD_START_SECONDS,
            JOBS_ADOPTED_TOTAL,
            ORPHANS_DELETED_TOTAL);

    public static final List<String> OPERATOR = List.of(FLEET_READY, TOKEN_EXPIRES);

    private MetricNames() {}
}
