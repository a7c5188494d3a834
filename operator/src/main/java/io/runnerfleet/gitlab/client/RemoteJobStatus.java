package io.runnerfleet.gitlab.client;

/** The {@code Job-Status} response header values gitlab-runner acts upon. */
public final class RemoteJobStatus {
    public static final String HEADER = "Job-Status";
    public static final String UPDATE_INTERVAL_HEADER = "X-GitLab-Trace-Update-Interval";
    public static final String RUNNING = "running";
    public static final String CANCELING = "canceling";
    public static final String CANCELED = "canceled";
    public static final String FAILED = "failed";

    private RemoteJobStatus() {}

    /** {@code canceling}: GitLab asks for a graceful cancel (after_script may run). */
    public static boolean isCancelRequested(String jobStatus) {
        return CANCELING.equals(jobStatus);
    }

    /** {@code canceled} or {@code failed}: GitLab no longer considers the job running; abort it. */
    public static boolean isFinishedRemotely(String jobStatus) {
        return CANCELED.equals(jobStatus) || FAILED.equals(jobStatus);
    }
}
