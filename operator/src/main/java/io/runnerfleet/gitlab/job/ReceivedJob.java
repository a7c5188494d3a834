package io.runnerfleet.gitlab.job;

/** A job body as GitLab handed it out (or as a Job Pod's record kept it): a job to run, or one that cannot be. */
public sealed interface ReceivedJob {

    /**
     * The typed job, and the body it was read from: the body is kept only to be stored in the Job Pod's Secret,
     * where a peer reads it back when it adopts the job. It holds the job token and secret variables; never log it.
     */
    // Always written ReceivedJob.Readable, never imported alone, so it cannot be taken for java.lang.Readable.
    @SuppressWarnings("JavaLangClash")
    record Readable(JobPayload job, String json) implements ReceivedJob {
        @Override
        public String toString() {
            return "Readable[" + job + ", json=<" + json.length() + " chars>]";
        }
    }

    /**
     * A body that is not a readable job. {@code id} and {@code token} are what could still be picked out of it
     * (null when absent), so that GitLab can be told the job failed; {@code problem} says what is wrong without
     * quoting values.
     */
    record Unreadable(Long id, String token, String problem) implements ReceivedJob {
        @Override
        public String toString() {
            return "Unreadable[id=" + id + ", token=" + (token == null ? null : "[MASKED]") + ", problem=" + problem
                    + "]";
        }
    }
}
