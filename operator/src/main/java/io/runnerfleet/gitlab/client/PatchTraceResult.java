package io.runnerfleet.gitlab.client;

import java.time.Duration;
import java.util.Optional;

/**
 * What {@code PATCH /api/v4/jobs/:id/trace} said (for a split patch: the last request sent).
 *
 * @param offset         the trace offset to send from next: the end of what GitLab accepted (202), or the length
 *                       GitLab reports it has (416); unchanged on other outcomes
 * @param remoteLength   the length from the response's {@code Range: 0-<n>} header, or -1 when absent
 * @param status         HTTP status, or {@link ApiCall#NO_RESPONSE}
 * @param jobStatus      the {@code Job-Status} header (null when absent)
 * @param updateInterval the {@code X-GitLab-Trace-Update-Interval} header, when present and valid
 */
public record PatchTraceResult(
        Outcome outcome,
        long offset,
        long remoteLength,
        int status,
        String jobStatus,
        Optional<Duration> updateInterval) {

    public enum Outcome {
        /** 202: every byte sent was appended. */
        ACCEPTED,
        /** 416: GitLab has a different length; continue from {@link #offset()} (= what GitLab has). */
        RANGE_MISMATCH,
        /** 403 or 404 (or {@code Job-Status: canceled|failed}): stop sending; the job is gone. */
        JOB_GONE,
        /** Anything else (5xx after retries, connection error): send again later from the same offset. */
        FAILED
    }

    /** {@code Job-Status: canceling}: GitLab asks for a graceful cancel. */
    public boolean cancelRequested() {
        return RemoteJobStatus.isCancelRequested(jobStatus);
    }

    /** gitlab-runner's abort: 403, or GitLab says {@code canceled}/{@code failed}. 404 only stops the trace. */
    public boolean abort() {
        return status == 403 || RemoteJobStatus.isFinishedRemotely(jobStatus);
    }
}
