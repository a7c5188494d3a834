package io.runnerfleet.gitlab.client;

import io.runnerfleet.gitlab.job.JobPayload;

/**
 * What {@code POST /api/v4/jobs/request} said. Every variant that GitLab answered carries the
 * {@code X-GitLab-Last-Update} value to send as {@code last_update} on the next poll (null when GitLab sent none: keep
 * the previous one, as gitlab-runner does).
 */
public sealed interface JobRequestResult {

    /** {@code false} when the runner should count the poll as unhealthy (403, connection errors, timeouts). */
    boolean healthy();

    /** The queue version to send next time, or null to keep the previous one. */
    String lastUpdate();

    /**
     * 201: a job, read. {@code json} is the body as received, kept only to be stored in the Job Pod's Secret for
     * adoption (it holds secrets: the job token, variables; never log it).
     */
    record JobReceived(JobPayload job, String json, String lastUpdate) implements JobRequestResult {
        public long id() {
            return job.id();
        }

        @Override
        public boolean healthy() {
            return true;
        }

        @Override
        public String toString() {
            return "JobReceived[id=" + job.id() + ", token=" + JobTokenRedaction.MASK + ", json=<" + json.length()
                    + " chars>, lastUpdate=" + lastUpdate + "]";
        }
    }

    /**
     * 201: a job with an id and a token whose payload cannot be read; it is to be reported as failed, saying
     * {@code problem} (which never quotes a value) in its trace.
     */
    record UnreadableJob(long id, String token, String problem, String lastUpdate) implements JobRequestResult {
        @Override
        public boolean healthy() {
            return true;
        }

        @Override
        public String toString() {
            return "UnreadableJob[id=" + id + ", token=" + JobTokenRedaction.MASK + ", problem=" + problem
                    + ", lastUpdate=" + lastUpdate + "]";
        }
    }

    /** 204: no job for now. */
    record NoJob(String lastUpdate) implements JobRequestResult {
        @Override
        public boolean healthy() {
            return true;
        }
    }

    /** 409: GitLab had a conflict assigning a job (another runner took it); no job, healthy, poll again. */
    record Conflict(String lastUpdate) implements JobRequestResult {
        @Override
        public boolean healthy() {
            return true;
        }
    }

    /** 403: the runner token was refused; unhealthy. */
    record Forbidden(String message, String lastUpdate) implements JobRequestResult {
        @Override
        public boolean healthy() {
            return false;
        }
    }

    /**
     * Any other status (after retries of 5xx/429/408), or no response ({@code status} = {@link ApiCall#NO_RESPONSE}).
     * Healthy when GitLab answered, unhealthy when it did not (connection error, timeout, bad body).
     */
    record Failed(int status, String message, boolean healthy, String lastUpdate) implements JobRequestResult {}
}
