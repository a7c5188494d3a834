package io.runnerfleet.gitlab.client;

import java.time.Duration;
import java.util.Optional;

/**
 * What {@code PUT /api/v4/jobs/:id} said.
 *
 * @param status         HTTP status, or {@link ApiCall#NO_RESPONSE}
 * @param jobStatus      the {@code Job-Status} header (null when absent)
 * @param updateInterval the {@code X-GitLab-Trace-Update-Interval} header, when present and valid
 */
public record UpdateJobResult(
        Outcome outcome, int status, String jobStatus, Optional<Duration> updateInterval, String message) {

    public enum Outcome {
        /** 200: GitLab took the update. */
        ACCEPTED,
        /** 202: accepted but not completed (GitLab still processes the trace); send it again after the interval. */
        ACCEPTED_NOT_COMPLETED,
        /** 412: the trace checksum or size did not match what GitLab has; resend the whole trace, then update again. */
        TRACE_VALIDATION_FAILED,
        /** 403 or 404: the job is gone for us (canceled, finished elsewhere, erased); stop. */
        JOB_GONE,
        /** Anything else (5xx after retries, connection error): try again later. */
        FAILED
    }

    /** {@code Job-Status: canceling}: GitLab asks for a graceful cancel. */
    public boolean cancelRequested() {
        return RemoteJobStatus.isCancelRequested(jobStatus);
    }

    /**
     * gitlab-runner's abort: the job is gone (403/404) or GitLab says it is {@code canceled}/{@code failed}. For a
     * final update a {@code failed} job status is the echo of our own {@code state=failed}; see
     * {@link #finalUpdateDone()}.
     */
    public boolean abort() {
        return outcome == Outcome.JOB_GONE || RemoteJobStatus.isFinishedRemotely(jobStatus);
    }

    /** For a final update: GitLab has it (200) or nothing more can be done (job gone); stop sending. */
    public boolean finalUpdateDone() {
        return outcome == Outcome.ACCEPTED || outcome == Outcome.JOB_GONE;
    }
}
