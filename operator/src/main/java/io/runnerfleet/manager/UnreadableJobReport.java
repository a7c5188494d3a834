package io.runnerfleet.manager;

import io.runnerfleet.gitlab.client.JobUpdate;
import io.runnerfleet.gitlab.client.TraceUploader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job whose payload cannot be read (handed out by GitLab, or kept in the record of a pod this manager adopted):
 * there is nothing to run, so GitLab is told it failed, with a trace line saying why.
 */
final class UnreadableJobReport implements Runnable, RunningJob {
    private static final Logger LOG = LoggerFactory.getLogger(UnreadableJobReport.class);

    private final JobEnvironment env;
    private final long jobId;
    private final String token;
    private final String problem;
    private final JobSlots.Slot slot;

    /** {@code problem} names what is wrong without quoting values; {@code token} is the job token, or empty. */
    UnreadableJobReport(JobEnvironment env, long jobId, String token, String problem, JobSlots.Slot slot) {
        this.env = env;
        this.jobId = jobId;
        this.token = token;
        this.problem = problem;
        this.slot = slot;
    }

    @Override
    public void abandon() {
        // Nothing to hand over: no pod runs this job. The report is short and is let finish.
    }

    @Override
    public void run() {
        RunningJob.carry(env, jobId, this, slot, LOG, () -> {
            LOG.error("job={} payload unreadable: {}", jobId, problem);
            try (TraceUploader uploader = new TraceUploader(env.gitlab(), jobId, token, env.uploaderOptions())) {
                uploader.append("ERROR: the job payload could not be read: " + problem + "\n");
                uploader.finish(JobUpdate.failed(FailureReason.RUNNER_SYSTEM_FAILURE.wireName(), 0, null, 0));
            }
        });
    }
}
