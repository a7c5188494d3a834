package io.runnerfleet.manager;

import io.runnerfleet.base.BuildInfo;
import io.runnerfleet.metrics.MetricFamily;
import io.runnerfleet.metrics.MetricNames;
import io.runnerfleet.metrics.MetricsRegistry;
import java.util.Map;

/**
 * A manager's metrics, with gitlab-runner's names and labels so its dashboards keep working. Labels identify the
 * runner and the manager, never a job: cardinality is bounded by the config, not by traffic.
 */
public final class ManagerMetrics {
    private static final double[] JOB_DURATION_BUCKETS = {30, 60, 300, 600, 1800, 3600, 7200, 10800, 18000, 36000};
    private static final double[] PICKUP_BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    private static final double[] POD_START_BUCKETS = {0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};

    private final MetricsRegistry registry = new MetricsRegistry();
    private final RunnerIdentity runner;
    private final MetricFamily jobs;
    private final MetricFamily jobsTotal;
    private final MetricFamily concurrent;
    private final MetricFamily limit;
    private final MetricFamily jobDuration;
    private final MetricFamily failedJobs;
    private final MetricFamily apiRequests;
    private final MetricFamily errors;
    private final MetricFamily pickup;
    private final MetricFamily podStart;
    private final MetricFamily adopted;
    private final MetricFamily orphansDeleted;
    private final MetricFamily healthCheckFailures;
    private final MetricFamily requestsSkipped;

    /** Who the labels name: the runner's short id, its name, and this manager's system id. */
    public record RunnerIdentity(String shortToken, String name, String systemId) {}

    public ManagerMetrics(RunnerIdentity runner, int concurrentJobs, int runnerLimit) {
        this.runner = runner;
        jobs = registry.gauge(
                MetricNames.JOBS,
                "The current number of running builds.",
                "runner",
                "runner_name",
                "system_id",
                "state",
                "stage",
                "executor_stage");
        jobsTotal = registry.counter(
                MetricNames.JOBS_TOTAL, "Total number of handled jobs.", "runner", "runner_name", "system_id");
        concurrent = registry.gauge(MetricNames.CONCURRENT, "The current value of concurrent setting");
        limit = registry.gauge(
                MetricNames.LIMIT, "The current value of limit setting", "runner", "runner_name", "system_id");
        jobDuration = registry.histogram(
                MetricNames.JOB_DURATION_SECONDS,
                "Histogram of job durations",
                JOB_DURATION_BUCKETS,
                "runner",
                "runner_name",
                "system_id",
                "mode");
        failedJobs = registry.counter(
                MetricNames.FAILED_JOBS_TOTAL,
                "Total number of failed jobs",
                "runner",
                "runner_name",
                "failure_reason",
                "mode");
        apiRequests = registry.counter(
                MetricNames.API_REQUEST_STATUSES_TOTAL,
                "The total number of api requests, partitioned by runner, system_id, endpoint, status and method.",
                "runner",
                "system_id",
                "endpoint",
                "status",
                "method");
        errors = registry.counter(MetricNames.ERRORS_TOTAL, "The number of caught errors.", "level");
        MetricFamily version = registry.gauge(
                MetricNames.VERSION_INFO,
                "A metric with a constant '1' value " + "labeled by different build stats fields.",
                "name",
                "version",
                "revision",
                "branch",
                "go_version",
                "built_at",
                "os",
                "architecture");
        pickup = registry.histogram(
                MetricNames.JOB_PICKUP_SECONDS,
                "Seconds from GitLab handing out a job to its " + "Job Pod existing.",
                PICKUP_BUCKETS,
                "runner_name");
        podStart = registry.histogram(
                MetricNames.POD_START_SECONDS,
                "Seconds from a Job Pod's creation to its " + "build container running.",
                POD_START_BUCKETS,
                "runner_name");
        adopted = registry.counter(
                MetricNames.JOBS_ADOPTED_TOTAL,
                "Jobs this manager took over from a manager " + "whose Lease expired.",
                "runner_name");
        healthCheckFailures = registry.counter(
                MetricNames.WORKER_HEALTH_CHECK_FAILURES_TOTAL,
                "Total number of runner worker health check failures",
                "runner",
                "runner_name",
                "system_id");
        orphansDeleted = registry.counter(
                MetricNames.ORPHANS_DELETED_TOTAL,
                "Job Pods deleted because GitLab " + "had already finished or cancelled their job.",
                "runner_name");

        requestsSkipped = registry.counter(
                MetricNames.REQUESTS_SKIPPED_TOTAL,
                "Job requests not made because no Job Pod of the fleet's size could start now "
                        + "(spec.executor.capacityAware), by reason.",
                "runner_name",
                "reason");

        concurrent.set(concurrentJobs);
        limit.set(runnerLimit, runner.shortToken(), runner.name(), runner.systemId());
        version.set(
                1,
                "runner-fleet",
                BuildInfo.version(),
                BuildInfo.revision(),
                "runner-fleet",
                "java" + System.getProperty("java.version", ""),
                "",
                System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT),
                System.getProperty("os.arch", ""));
        for (String level : new String[] {"panic", "fatal", "error", "warning"}) {
            errors.increment(0, level);
        }
        jobsTotal.increment(0, runner.shortToken(), runner.name(), runner.systemId());
        healthCheckFailures.increment(0, runner.shortToken(), runner.name(), runner.systemId());
        // A 0 rather than no series, so an alert on its rate works before the first skip.
        requestsSkipped.increment(0, runner.name(), "quota");
        showJobs(Map.of());
    }

    public MetricsRegistry registry() {
        return registry;
    }

    /**
     * Replaces the {@code gitlab_runner_jobs} series with the current counts per (stage, executor stage); like
     * gitlab-runner, an idle row is always there, so "no jobs" is a 0 rather than a missing series.
     */
    public synchronized void showJobs(Map<JobStage, Integer> running) {
        jobs.clear();
        jobs.set(0, runner.shortToken(), runner.name(), runner.systemId(), "", "", "");
        running.forEach((stage, count) -> jobs.set(
                count,
                runner.shortToken(),
                runner.name(),
                runner.systemId(),
                "running",
                stage.gitlabStage(),
                stage.executorStage()));
    }

    public void jobFinished(double durationSeconds, String failureReason) {
        jobsTotal.increment(runner.shortToken(), runner.name(), runner.systemId());
        jobDuration.observe(durationSeconds, runner.shortToken(), runner.name(), runner.systemId(), "traditional");
        if (failureReason != null) {
            failedJobs.increment(runner.shortToken(), runner.name(), failureReason, "traditional");
        }
    }

    public void apiRequest(String endpoint, int status, String method) {
        apiRequests.increment(runner.shortToken(), runner.systemId(), endpoint, Integer.toString(status), method);
    }

    /** An unhealthy {@code jobs/request} (gitlab-runner's {@code markHealth(runner, false)}). */
    public void healthCheckFailed() {
        healthCheckFailures.increment(1, runner.shortToken(), runner.name(), runner.systemId());
    }

    public void error(String level) {
        errors.increment(level);
    }

    public void jobPickedUp(double seconds) {
        pickup.observe(seconds, runner.name());
    }

    public void podStarted(double seconds) {
        podStart.observe(seconds, runner.name());
    }

    public void jobAdopted() {
        adopted.increment(runner.name());
    }

    /** A job request not made: {@code reason} {@code quota} (a ResourceQuota has no room for a Job Pod). */
    public void requestSkipped(String reason) {
        requestsSkipped.increment(runner.name(), reason);
    }

    public void orphanDeleted() {
        orphansDeleted.increment(runner.name());
    }
}
