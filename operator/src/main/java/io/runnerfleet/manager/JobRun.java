package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runnerfleet.base.GoDurations;
import io.runnerfleet.gitlab.client.JobUpdate;
import io.runnerfleet.gitlab.client.TraceUploader;
import io.runnerfleet.gitlab.client.UpdateJobResult;
import io.runnerfleet.gitlab.job.JobPayload;
import io.runnerfleet.gitlab.job.JobVariable;
import io.runnerfleet.jobpod.JobPodBuilder;
import io.runnerfleet.jobpod.JobPodContext;
import io.runnerfleet.jobpod.JobPodException;
import io.runnerfleet.jobpod.JobPodNames;
import io.runnerfleet.jobpod.JobPodResources;
import io.runnerfleet.manager.trace.ContainerLogFollower;
import io.runnerfleet.manager.trace.FollowResult;
import io.runnerfleet.manager.trace.KubernetesLogStreams;
import io.runnerfleet.manager.trace.PodContainerStateProbe;
import io.runnerfleet.manager.trace.TraceContainer;
import io.runnerfleet.manager.trace.TracePreamble;
import io.runnerfleet.manager.trace.TraceWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job, from GitLab's hand-out (or adoption from a dead peer) to its final status: build the Job Pod, stream its
 * containers' logs into the trace, read how it ended, report, clean up. The trace is composed only from the pod's
 * logs and state, so any manager composes the same bytes for the same job.
 */
public final class JobRun implements Runnable, RunningJob {
    private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);
    private static final int HTTP_CONFLICT = 409;

    private final JobEnvironment env;
    private final long jobId;
    private final JobPayload job;
    /** The payload as GitLab sent it, to store in the Job Pod's Secret; null for an adopted job. */
    private final String payloadJson;

    private final JobSlots.Slot slot;
    private final Instant receivedAt;
    private final boolean adopted;
    private volatile boolean abandoned;
    private volatile boolean cancelRequested;
    private volatile boolean aborted;
    private volatile ContainerLogFollower follower;
    private volatile PodVerdict.Failed earlyFailure;

    private JobRun(
            JobEnvironment env,
            long jobId,
            JobPayload job,
            String payloadJson,
            JobSlots.Slot slot,
            Instant receivedAt,
            boolean adopted) {
        this.env = env;
        this.jobId = jobId;
        this.job = job;
        this.payloadJson = payloadJson;
        this.slot = slot;
        this.receivedAt = receivedAt;
        this.adopted = adopted;
    }

    /** A job GitLab just handed out; {@code payloadJson} is the body {@code job} was read from. */
    public static JobRun received(
            JobEnvironment env, JobPayload job, String payloadJson, JobSlots.Slot slot, Instant receivedAt) {
        return new JobRun(env, job.id(), job, payloadJson, slot, receivedAt, false);
    }

    /** A job whose manager is gone; its pod is already running and now names this manager. */
    public static JobRun adopted(JobEnvironment env, long jobId, JobPayload job, JobSlots.Slot slot) {
        return new JobRun(env, jobId, job, null, slot, env.clock().instant(), true);
    }

    public long jobId() {
        return jobId;
    }

    @Override
    public void abandon() {
        abandoned = true;
        stopFollowing();
    }

    @Override
    public void run() {
        RunningJob.carry(env, jobId, this, slot, LOG, this::execute);
    }

    private void execute() {
        try (TraceUploader uploader = new TraceUploader(env.gitlab(), jobId, job.token(), env.uploaderOptions())) {
            execute(uploader);
        }
    }

    private void execute(TraceUploader uploader) {
        if (!adopted) {
            UpdateJobResult first = env.gitlab()
                    .updateJob(jobId, job.token(), JobUpdate.running(uploader.checksum(), uploader.bytesize()));
            if (first.abort() || first.status() == HTTP_CONFLICT) {
                // The job is not ours to run (canceled or taken meanwhile, erased, a conflicting update): no pod.
                // gitlab-runner aborts on 403/404 and Job-Status canceled/failed (network/gitlab.go,
                // createUpdateJobResult); we stop on a 409 too, rather than run a job GitLab refused to start.
                env.metrics().error("warning");
                LOG.warn(
                        "job={} dropped before its pod was created: GitLab answered state=running with {}{}",
                        jobId,
                        first.status(),
                        first.jobStatus() == null ? "" : " Job-Status " + first.jobStatus());
                return;
            }
        }
        TraceUploader.Loop ticking = uploader.start(env.scheduler(), new TraceUploader.Listener() {
            @Override
            public void onCancelRequested() {
                cancel();
            }

            @Override
            public void onAbort() {
                abort();
            }
        });
        TraceWriter writer = TraceWriter.forJob(
                uploader::append,
                maskedValues(job),
                tokenPrefixes(job),
                env.runner().outputLimitKib(),
                env.clock());
        String namespace = env.podContext().namespace();
        String podName = JobPodNames.podName(env.podContext().fleetName(), jobId);
        PodVerdict verdict;
        try {
            verdict = runPod(writer, namespace, podName);
        } finally {
            ticking.stop();
        }
        if (abandoned) {
            uploader.flush();
            LOG.info("job={} handed over pod={}", jobId, podName);
            return;
        }
        finishTrace(writer, verdict, namespace, podName);
        boolean gone = aborted;
        if (!aborted) {
            TraceUploader.FinalResult result = uploader.finish(update(verdict));
            gone = result.outcome() == TraceUploader.FinalOutcome.JOB_GONE;
            LOG.info("job={} finished outcome={} gitlab={}", jobId, describe(verdict), result.outcome());
        }
        if (gone && adopted) {
            // A pod left by a dead manager whose job GitLab had already finished or cancelled.
            env.metrics().orphanDeleted();
        }
        cleanUp(namespace, podName);
        Duration took = Duration.between(receivedAt, env.clock().instant());
        env.metrics()
                .jobFinished(
                        took.toMillis() / 1000.0,
                        verdict instanceof PodVerdict.Failed failed
                                ? failed.reason().wireName()
                                : null);
    }

    private PodVerdict runPod(TraceWriter writer, String namespace, String podName) {
        if (!adopted) {
            try {
                JobPodResources resources = JobPodBuilder.build(
                        job,
                        env.podContext()
                                .withManager(env.identity().podName())
                                .withSharedCache(
                                        env.podContext().sharedCache() == null
                                                ? null
                                                : env.podContext()
                                                        .sharedCache()
                                                        .at(env.clock().instant()))
                                .withSlot(new JobPodContext.Slot(
                                        slot.concurrentId(),
                                        slot.concurrentProjectId(job.jobInfo().projectId()))));
                List<Secret> secrets = new ArrayList<>(resources.secrets());
                secrets.set(0, JobRecord.attach(resources.secret(), payloadJson));
                env.pods().create(resources.pod(), secrets);
                env.metrics()
                        .jobPickedUp(Duration.between(receivedAt, env.clock().instant())
                                        .toMillis()
                                / 1000.0);
            } catch (JobPodException e) {
                return new PodVerdict.Failed(FailureReason.RUNNER_CONFIGURATION_ERROR, null, e.getMessage());
            } catch (KubernetesClientException e) {
                return new PodVerdict.Failed(
                        FailureReason.RUNNER_SYSTEM_FAILURE,
                        null,
                        "the Job Pod could not be created: " + e.getStatus().getMessage());
            }
        }
        Duration pollTimeout = Duration.ofSeconds(env.runner().kubernetes().pollTimeout());
        ScheduledFuture<?> watch = env.scheduler()
                .scheduleWithFixedDelay(
                        () -> watchPod(podName, pollTimeout),
                        0,
                        env.timings().podPoll().toMillis(),
                        TimeUnit.MILLISECONDS);
        try {
            follower = new ContainerLogFollower(
                    new KubernetesLogStreams(env.kubernetes(), namespace, podName),
                    new PodContainerStateProbe(env.kubernetes(), namespace, podName));
            if (earlyFailure != null) {
                follower.cancel();
            }
            writer.preamble(new TracePreamble(env.runner().name(), env.version(), namespace, podName));
            if (!follow(writer, TraceContainer.prepare()) || !follow(writer, TraceContainer.build())) {
                return settledVerdict(podName, pollTimeout);
            }
            follow(writer, TraceContainer.helper(buildSucceeded(podName)));
            return settledVerdict(podName, pollTimeout);
        } finally {
            watch.cancel(false);
        }
    }

    /** Follows one container; false when following stopped early (a failure, a cancel, a hand-over). */
    private boolean follow(TraceWriter writer, TraceContainer container) {
        FollowResult result = writer.container(container, follower);
        return result.outcome() != FollowResult.Outcome.CANCELLED;
    }

    /** Runs every podPoll: moves the job's stage, and stops the log follow at once when the pod has failed. */
    private void watchPod(String podName, Duration pollTimeout) {
        try {
            PodVerdict verdict =
                    PodVerdicts.of(env.podLookup().apply(podName), env.clock().instant(), pollTimeout);
            if (verdict instanceof PodVerdict.InProgress progress) {
                env.running().stage(jobId, progress.stage());
            } else if (verdict instanceof PodVerdict.Failed failed
                    && earlyFailure == null
                    && !cancelRequested
                    && env.podLookup().apply(podName) != null
                    && isEarly(failed)) {
                // While a cancel's grace period runs, the pod being deleted is expected: after_script still logs.
                earlyFailure = failed;
                stopFollowing();
            }
        } catch (RuntimeException e) {
            LOG.warn("job={} pod watch: {}", jobId, e.toString());
        }
    }

    /**
     * Failures that leave containers that will never log (image pulls, config errors, the deadline, evictions); not
     * the build script's own verdicts, which come once every container is done.
     */
    private static boolean isEarly(PodVerdict.Failed failed) {
        return switch (failed.reason()) {
            case SCRIPT_FAILURE, JOB_CANCELED -> false;
            // the deadline has no exit code; the script timer's verdict has the build's
            case JOB_EXECUTION_TIMEOUT -> failed.exitCode() == null;
            default -> true;
        };
    }

    private PodVerdict settledVerdict(String podName, Duration pollTimeout) {
        if (cancelRequested) {
            // gitlab-runner reports a canceled job as failed with job_canceled ("ERROR: Job failed: canceled"),
            // whatever the script did (common/build.go, runtimeStateAndError).
            return new PodVerdict.Failed(FailureReason.JOB_CANCELED, null, "canceled");
        }
        if (earlyFailure != null) {
            return earlyFailure;
        }
        Instant deadline = env.clock().instant().plus(env.timings().verdictSettle());
        PodVerdict verdict =
                PodVerdicts.of(env.podLookup().apply(podName), env.clock().instant(), pollTimeout);
        while (verdict instanceof PodVerdict.InProgress && env.clock().instant().isBefore(deadline) && !abandoned) {
            sleep(env.timings().podPoll());
            verdict = PodVerdicts.of(env.podLookup().apply(podName), env.clock().instant(), pollTimeout);
        }
        if (verdict instanceof PodVerdict.InProgress) {
            return new PodVerdict.Failed(
                    FailureReason.RUNNER_SYSTEM_FAILURE,
                    null,
                    "the Job Pod's logs ended but its status never said how the job ended");
        }
        return verdict;
    }

    private boolean buildSucceeded(String podName) {
        Pod pod = env.podLookup().apply(podName);
        if (pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return false;
        }
        for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
            if (PodVerdicts.BUILD.equals(status.getName())
                    && status.getState() != null
                    && status.getState().getTerminated() != null) {
                return status.getState().getTerminated().getExitCode() == 0;
            }
        }
        return false;
    }

    private void finishTrace(TraceWriter writer, PodVerdict verdict, String namespace, String podName) {
        if (verdict instanceof PodVerdict.Failed failed) {
            if (failed.reason() != FailureReason.SCRIPT_FAILURE) {
                env.pods().warnings(namespace, podName).forEach(writer::message);
            }
            boolean timeout = failed.reason() == FailureReason.JOB_EXECUTION_TIMEOUT;
            String closing = timeout ? timeoutLine() : failed.closingLine();
            if (timeout || failed.hasMoreToSay()) {
                writer.message("WARNING: " + failed.message());
            }
            writer.jobFailed(closing);
        } else {
            writer.jobSucceeded();
        }
        writer.finish();
    }

    /** gitlab-runner's words for any timeout (common/build.go, runtimeStateAndError), its odd "seconds" included. */
    private String timeoutLine() {
        return "execution took longer than " + GoDurations.goString(job.timeoutSeconds()) + " seconds";
    }

    private JobUpdate update(PodVerdict verdict) {
        if (verdict instanceof PodVerdict.Failed failed) {
            List<String> supported =
                    job.features() == null ? List.of() : job.features().failureReasons();
            // A timeout or a cancel carries no exit code, as with gitlab-runner (its BuildError has none).
            boolean noExitCode = failed.exitCode() == null
                    || failed.reason() == FailureReason.JOB_EXECUTION_TIMEOUT
                    || failed.reason() == FailureReason.JOB_CANCELED;
            return JobUpdate.failed(failed.reason().forGitLab(supported), noExitCode ? 0 : failed.exitCode(), null, 0);
        }
        return JobUpdate.success(null, 0);
    }

    private void cleanUp(String namespace, String podName) {
        Duration grace = cancelRequested ? stopGrace() : Duration.ZERO;
        try {
            env.pods()
                    .delete(
                            namespace,
                            podName,
                            JobPodNames.secretNames(env.podContext().fleetName(), jobId),
                            grace,
                            env.timings().cleanupWait());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (KubernetesClientException e) {
            env.metrics().error("warning");
            LOG.warn("job={} cleanup of pod={} failed status={}", jobId, podName, e.getCode());
        }
    }

    /**
     * GitLab said canceling. Like gitlab-runner (network/trace.go hands {@code Job-Status: canceling} to the script's
     * cancel function; common/build.go then runs after_script under its own timeout), the script stops and
     * after_script and uploads still run: the pod is deleted with a grace period of after_script's timeout plus time
     * for uploads, and the kubelet's SIGTERM is what stops the script (jobpod.BuildScript). Deleting is the one call
     * that reaches into a pod without pods/exec.
     */
    private void cancel() {
        if (cancelRequested) {
            return;
        }
        cancelRequested = true;
        LOG.info("job={} canceled in GitLab", jobId);
        String namespace = env.podContext().namespace();
        String podName = JobPodNames.podName(env.podContext().fleetName(), jobId);
        env.scheduler().execute(() -> {
            try {
                env.kubernetes()
                        .pods()
                        .inNamespace(namespace)
                        .withName(podName)
                        .withGracePeriod(stopGrace().toSeconds())
                        .delete();
            } catch (KubernetesClientException e) {
                LOG.warn("job={} cancel: deleting pod failed status={}", jobId, e.getCode());
            }
        });
    }

    /** GitLab says the job is gone (finished elsewhere, or canceled for good): stop and clean up. */
    private void abort() {
        aborted = true;
        stopFollowing();
    }

    private void stopFollowing() {
        ContainerLogFollower current = follower;
        if (current != null) {
            current.cancel();
        }
    }

    private Duration stopGrace() {
        try {
            return Duration.ofSeconds(JobPodBuilder.stopGraceSeconds(job, env.podContext()));
        } catch (RuntimeException e) {
            return Duration.ofSeconds(JobPodBuilder.DEFAULT_STOP_GRACE_SECONDS);
        }
    }

    private static List<String> maskedValues(JobPayload job) {
        List<String> values = new ArrayList<>();
        values.add(job.token());
        for (JobVariable variable : job.variables()) {
            if (variable.masked() && !variable.value().isEmpty()) {
                values.add(variable.value());
            }
        }
        return values;
    }

    private static List<String> tokenPrefixes(JobPayload job) {
        return job.features() == null ? List.of() : job.features().tokenMaskPrefixes();
    }

    private static String describe(PodVerdict verdict) {
        return verdict instanceof PodVerdict.Failed failed ? failed.reason().wireName() : "success";
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
