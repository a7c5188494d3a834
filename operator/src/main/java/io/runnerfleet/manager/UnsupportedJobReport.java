package io.runnerfleet.manager;

import io.runnerfleet.gitlab.client.JobUpdate;
import io.runnerfleet.gitlab.client.TraceUploader;
import io.runnerfleet.gitlab.job.JobPayload;
import io.runnerfleet.gitlab.job.UnsupportedJobFeatures;
import io.runnerfleet.manager.trace.TraceWriter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job that needs what this runner does not do ({@link UnsupportedJobFeatures}) fails at once: before
 * {@code state=running} and before any pod, with a trace line per missing thing. gitlab-runner does the same with a
 * payload it cannot run ({@code commands/multi.go}: the error into the trace, then the job failed with exit code 3,
 * {@code ExitCodeUnsupportedOptions} in {@code common/trace.go}).
 */
final class UnsupportedJobReport {
    private static final Logger LOG = LoggerFactory.getLogger(UnsupportedJobReport.class);
    /** gitlab-runner's {@code ExitCodeUnsupportedOptions}. */
    static final int EXIT_CODE = 3;

    private UnsupportedJobReport() {}

    /** True when the job was refused and reported; false when it can run. */
    static boolean refused(JobEnvironment env, JobPayload job, TraceUploader uploader) {
        List<String> missing = UnsupportedJobFeatures.of(job);
        if (missing.isEmpty()) {
            return false;
        }
        TraceWriter writer = TraceWriter.forJob(
                uploader::append,
                JobRun.maskedValues(job),
                JobRun.tokenPrefixes(job),
                env.runner().outputLimitKib(),
                env.clock(),
                JobRun.featureFlags(env, job));
        missing.forEach(line -> writer.message("ERROR: " + line));
        writer.jobFailed("the job needs what this runner does not support (see above)");
        writer.finish();
        String reason = FailureReason.RUNNER_UNSUPPORTED.forGitLab(JobRun.supportedReasons(job));
        TraceUploader.FinalResult result = uploader.finish(JobUpdate.failed(reason, EXIT_CODE, null, 0));
        LOG.info(
                "job={} refused: {} unsupported need(s) reason={} gitlab={}",
                job.id(),
                missing.size(),
                reason,
                result.outcome());
        env.metrics().jobFinished(0, reason);
        return true;
    }
}
