package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runnerfleet.base.FeatureFlags;
import io.runnerfleet.base.GoDurations;
import io.runnerfleet.gitlab.client.JobUpdate;
import io.runnerfleet.gitlab.client.TraceUploader;
import io.runnerfleet.gitlab.client.UpdateJobResult;
import io.runnerfleet.gitlab.job.JobPayload;
import io.runnerfleet.gitlab.job.JobVariable;
import io.runnerfleet.jobpod.ImageUser;
import io.runnerfleet.jobpod.JobPodBuilder;
import io.runnerfleet.jobpod.JobPodContext;
import io.runnerfleet.jobpod.JobPodException;
import io.runnerfleet.jobpod.JobPodNames;
import io.runnerfleet.jobpod.JobPodResources;
import io.runnerfleet.jobpod.PullFallback;
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
import java.util.Optional;
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
    /** The payload as GitLab sent it, written first as the job's record; null for an adopted or resumed job. */
    private final String payloadJson;

    private final JobSlots.Slot slot;
    private final Instant receivedAt;
    /** True for a job whose pod this manager took over; a resumed job becomes one when its pod turns out to exist. */
    private volatile boolean adopted;
    /** The manager whose record of the job this one resumes (its pod never made); null unless resumed. */
    private final String resumedFrom;
    /** Why the job's record could not be written; the job then fails before any pod. */
    /** The Job Pod as built before the record is written, or why it cannot be (then no record is written). */
    private JobPodResources built;

    private JobPodException refusal;

    private volatile String recordFailure;

    private volatile boolean abandoned;
    private volatile boolean cancelRequested;
    private volatile boolean aborted;
    private volatile ContainerLogFollower follower;
    private volatile PodVerdict.Failed earlyFailure;
    /** Set once the build's log is done and the helper's is followed: an early failure then stops following. */
    private volatile boolean followingHelper;
    /** The uid of the Job Pod this manager created last; null when it adopted the pod and never made one. */
    private volatile String podUid;
    /**
     * Where the Job Pod is: where an adopted one was found, else the job's namespace as the builder resolves it
     * ({@link JobPodBuilder#namespace}, the job's {@code KUBERNETES_NAMESPACE_OVERWRITE}), set before anything
     * reaches the pod.
     */
    private volatile String namespace;

    private JobRun(
            JobEnvironment env,
            long jobId,
            JobPayload job,
            String payloadJson,
            JobSlots.Slot slot,
            Instant receivedAt,
            boolean adopted,
            String resumedFrom,
            String namespace) {
        this.env = env;
        this.resumedFrom = resumedFrom;
        this.jobId = jobId;
        this.job = job;
        this.payloadJson = payloadJson;
        this.slot = slot;
        this.receivedAt = receivedAt;
        this.adopted = adopted;
        this.namespace = namespace;
    }

    /** A job GitLab just handed out; {@code payloadJson} is the body {@code job} was read from. */
    public static JobRun received(
            JobEnvironment env, JobPayload job, String payloadJson, JobSlots.Slot slot, Instant receivedAt) {
        return new JobRun(env, job.id(), job, payloadJson, slot, receivedAt, false, null, null);
    }

    /**
     * A job whose record {@code formerManager} wrote and then died before making its Job Pod ({@link PodlessJobs}):
     * run as if GitLab had just handed it out, from the record, which is already written, in {@code namespace}.
     */
    public static JobRun resumed(
            JobEnvironment env, JobPayload job, JobSlots.Slot slot, String namespace, String formerManager) {
        return new JobRun(
                env,
                job.id(),
                job,
                null,
                slot,
                env.clock().instant(),
                false,
                formerManager == null ? "" : formerManager,
                namespace);
    }

    /** A job whose manager is gone; its pod, in {@code namespace}, is already running and now names this manager. */
    public static JobRun adopted(JobEnvironment env, long jobId, JobPayload job, JobSlots.Slot slot, String namespace) {
        return new JobRun(env, jobId, job, null, slot, env.clock().instant(), true, null, namespace);
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
        if (!adopted && UnsupportedJobReport.refused(env, job, uploader)) {
            return;
        }
        if (namespace == null) {
            namespace = resolveNamespace();
        }
        if (!adopted) {
            // Pure and quick (no API call): a job whose pod cannot be built is refused without a record, which
            // would only hold what no manager can run (a payload over a Secret's size, a hostile image name).
            try {
                built = buildPod();
            } catch (JobPodException e) {
                refusal = e;
            }
        }
        if (payloadJson != null && refusal == null) {
            writeRecord();
        }
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
                cleanUp(namespace, JobPodNames.podName(env.podContext().fleetName(), jobId));
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
                env.clock(),
                featureFlags(env, job));
        String namespace = this.namespace;
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

    private List<String> supportedReasons() {
        return supportedReasons(job);
    }

    static List<String> supportedReasons(JobPayload job) {
        return job.features() == null ? List.of() : job.features().failureReasons();
    }

    /**
     * The job's record, the first write after GitLab's answer (JobPoller hands the job over as soon as it is
     * parsed): before {@code state=running}, the trace and building the pod, so that a manager killed at any later
     * point leaves a job its peers resume ({@link PodlessJobs}). Only a kill between GitLab's answer and this write
     * loses the job, as with gitlab-runner, which holds a received job only in its process until the build ends
     * ({@code commands/multi.go}, {@code processRunner} after {@code requestJob}).
     */
    private void writeRecord() {
        try {
            env.pods()
                    .record(JobRecord.first(
                            env.podContext().fleetName(),
                            namespace,
                            jobId,
                            env.identity().podName(),
                            payloadJson));
        } catch (KubernetesClientException e) {
            recordFailure = "the job's record could not be written: "
                    + (e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage());
            LOG.warn("job={} {}", jobId, recordFailure);
        }
    }

    private PodVerdict runPod(TraceWriter writer, String namespace, String podName) {
        Pod made = null;
        if (recordFailure != null) {
            return new PodVerdict.Failed(FailureReason.RUNNER_SYSTEM_FAILURE, null, recordFailure);
        }
        if (!adopted) {
            if (refusal != null) {
                return new PodVerdict.Failed(FailureReason.RUNNER_CONFIGURATION_ERROR, null, refusal.getMessage());
            }
            try {
                JobPodResources resources = built;
                made = env.pods().create(resumedPod(resources.pod()), resources.secrets());
                podUid = uid(made);
                if (resumedFrom != null && !takenOver(made)) {
                    abandoned = true;
                    return new PodVerdict.Failed(FailureReason.RUNNER_SYSTEM_FAILURE, null, "carried by a peer");
                }
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
                        // A transport failure (timeout, reset) has no Status; the job still gets its reason.
                        "the Job Pod could not be created: "
                                + (e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage()));
            }
        }
        writer.preamble(preamble(namespace, podName, made != null ? made : currentPod(podName)));
        while (true) {
            PodVerdict verdict = followPod(writer, namespace, podName);
            Optional<PodVerdict> retried = retryPullWithNextPolicy(verdict, writer, podName);
            if (retried.isPresent()) {
                return retried.get();
            }
        }
    }

    /**
     * The Job Pod from the informer, unless the informer still shows the pod a pull fallback replaced (same name,
     * another uid): then from the API server.
     */
    private Pod currentPod(String podName) {
        Pod pod = env.podLookup().apply(podName);
        String expected = podUid;
        if (pod == null || expected == null || expected.equals(uid(pod))) {
            return pod;
        }
        Pod fresh =
                env.kubernetes().pods().inNamespace(namespace).withName(podName).get();
        return fresh != null && expected.equals(uid(fresh)) ? fresh : null;
    }

    private static String uid(Pod pod) {
        return pod == null || pod.getMetadata() == null
                ? null
                : pod.getMetadata().getUid();
    }

    /**
     * The job's namespace; a refused {@code KUBERNETES_NAMESPACE_OVERWRITE} gives the executor's, where no pod will
     * be, because building the pod then refuses the job with the same message, as gitlab-runner fails it in
     * {@code prepareOverwrites} before any pod ({@code executors/kubernetes/kubernetes.go}).
     */
    private String resolveNamespace() {
        try {
            return JobPodBuilder.namespace(job, slotContext());
        } catch (JobPodException e) {
            return env.podContext().namespace();
        }
    }

    private JobPodResources buildPod() {
        return JobPodBuilder.build(job, slotContext());
    }

    private JobPodContext slotContext() {
        JobPodContext context = env.podContext();
        return context.withManager(env.identity().podName())
                // Signed when the pod is made, so the URLs hold for this job's whole life (SharedCache.at).
                .withSharedCache(
                        context.sharedCache() == null
                                ? null
                                : context.sharedCache().at(env.clock().instant()))
                .withSlot(new JobPodContext.Slot(
                        slot.concurrentId(),
                        slot.concurrentProjectId(job.jobInfo().projectId())));
    }

    /** A resumed job's pod says so, for every manager that composes its trace ({@link JobRecord#resumedNote}). */
    private Pod resumedPod(Pod built) {
        return resumedFrom == null
                ? built
                : JobRecord.markResumed(built, env.identity().podName(), resumedFrom);
    }

    /**
     * Whether this manager carries the resumed job's pod. A pod that was already there (its manager died after
     * making it, before it ended the record's wait) is taken over as a dead peer's pod ({@link PodAdoption}): read
     * from the start of its logs, as the trace GitLab has came from them; a peer that took it first carries it.
     */
    private boolean takenOver(Pod pod) {
        String me = env.identity().podName();
        var annotations = pod.getMetadata().getAnnotations();
        boolean mine = me.equals(PodAdoption.managerOf(pod));
        if (mine && annotations != null && me.equals(annotations.get(JobRecord.RESUMED_BY))) {
            return true;
        }
        adopted = true;
        // Mine without my mark: made by this pod's earlier container (restarted under the same name).
        return mine || PodAdoption.tryAdopt(env.kubernetes(), pod, me).isPresent();
    }

    /** Follows the Job Pod's containers into the trace while watching its status; returns how it ended. */
    private PodVerdict followPod(TraceWriter writer, String namespace, String podName) {
        Duration pollTimeout = Duration.ofSeconds(env.runner().kubernetes().pollTimeout());
        earlyFailure = null;
        followingHelper = false;
        ScheduledFuture<?> watch = env.scheduler()
                .scheduleWithFixedDelay(
                        () -> watchPod(podName, pollTimeout),
                        0,
                        env.timings().podPoll().toMillis(),
                        TimeUnit.MILLISECONDS);
        try {
            // An adopted job reads the build from its log file from the start: the kubelet may have rotated its
            // beginning away while no manager followed it (docs/job-survival.md).
            follower = new ContainerLogFollower(
                    new KubernetesLogStreams(env.kubernetes(), namespace, podName),
                    new PodContainerStateProbe(env.kubernetes(), namespace, podName),
                    ContainerLogFollower.Settings.defaults(),
                    env.logFiles().of(namespace, podName),
                    adopted);
            if (earlyFailure != null && !buildLogEnded(podName)) {
                follower.cancel();
            }
            if (!follow(writer, TraceContainer.prepare()) || !follow(writer, TraceContainer.build())) {
                return settledVerdict(podName, pollTimeout);
            }
            if (earlyFailure != null) {
                // The build was killed as a whole: its log is in the trace, and the helper has nothing to upload for
                // it.
                return settledVerdict(podName, pollTimeout);
            }
            followingHelper = true;
            follow(writer, TraceContainer.helper(buildSucceeded(podName)));
            return settledVerdict(podName, pollTimeout);
        } finally {
            watch.cancel(false);
        }
    }

    /**
     * An image pull failure with a pull policy left to try makes the Job Pod again with it, as gitlab-runner's
     * {@code withPullRetry} ({@code executors/kubernetes/kubernetes.go}) does, and says so in the trace with its
     * words. Returns the verdict to report, or empty when the new pod is to be followed.
     */
    private Optional<PodVerdict> retryPullWithNextPolicy(PodVerdict verdict, TraceWriter writer, String podName) {
        if (!(verdict instanceof PodVerdict.Failed failed)
                || failed.reason() != FailureReason.IMAGE_PULL_FAILURE
                || cancelRequested
                || aborted
                || abandoned) {
            return Optional.of(verdict);
        }
        Pod failedPod = currentPod(podName);
        Optional<PodVerdicts.ImagePull> pull =
                PodVerdicts.imagePullFailure(failedPod).filter(PodVerdicts.ImagePull::retriable);
        Optional<PullFallback> fallback;
        try {
            fallback = pull.flatMap(
                    p -> PullFallback.after(failedPod, p.container(), JobPodBuilder.pullPolicies(job, slotContext())));
        } catch (JobPodException e) {
            fallback = Optional.empty();
        }
        if (fallback.isEmpty()) {
            return Optional.of(verdict);
        }
        fallback.get().traceLines(pull.get().message()).forEach(writer::message);
        LOG.info(
                "job={} pod={} container={} pull failed with {}; trying {}",
                jobId,
                podName,
                fallback.get().container(),
                fallback.get().failed().kubernetesValue(),
                fallback.get().next().kubernetesValue());
        try {
            JobPodResources resources = buildPod();
            podUid = uid(env.pods()
                    .recreate(
                            fallback.get().applyTo(resources.pod(), failedPod),
                            resources.secrets(),
                            env.timings().cleanupWait()));
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(verdict);
        } catch (KubernetesClientException | IllegalStateException e) {
            return Optional.of(new PodVerdict.Failed(
                    FailureReason.RUNNER_SYSTEM_FAILURE,
                    null,
                    "the Job Pod could not be made again with the next pull policy: " + e.getMessage()));
        }
    }

    /**
     * The job's feature flags (JobPodBuilder resolves them as for its pod); gitlab-runner's defaults when the job
     * cannot be built, whose trace then only says why.
     */
    static FeatureFlags.Resolved featureFlags(JobEnvironment env, JobPayload job) {
        try {
            return JobPodBuilder.featureFlags(job, env.podContext());
        } catch (RuntimeException e) {
            return env.podContext().featureFlags().resolve(name -> null);
        }
    }

    /**
     * The runner's opening lines, with gitlab-runner's lines about the users the job asked for (ImageUser) and its
     * warnings about {@code FF_*} variables that are not booleans.
     */
    private TracePreamble preamble(String namespace, String podName, Pod pod) {
        List<String> notes = new ArrayList<>();
        JobRecord.resumedNote(pod).ifPresent(notes::add);
        List<String> warnings = new ArrayList<>(featureFlags(env, job).problems());
        try {
            for (ImageUser user : JobPodBuilder.jobUsers(job, env.podContext())) {
                notes.addAll(user.notes());
                warnings.addAll(user.warnings());
            }
        } catch (RuntimeException e) {
            // The pod was built from the same job and fleet, so this only fails where building did; nothing to add.
        }
        return new TracePreamble(env.runner().name(), env.version(), namespace, podName, notes, warnings);
    }

    /** Follows one container; false when following stopped early (a failure, a cancel, a hand-over). */
    private boolean follow(TraceWriter writer, TraceContainer container) {
        FollowResult result = writer.container(container, follower);
        return result.outcome() != FollowResult.Outcome.CANCELLED;
    }

    /** Runs every podPoll: moves the job's stage, and stops the log follow at once when the pod has failed. */
    private void watchPod(String podName, Duration pollTimeout) {
        try {
            PodVerdict verdict = PodVerdicts.of(currentPod(podName), env.clock().instant(), pollTimeout);
            if (verdict instanceof PodVerdict.InProgress progress) {
                env.running().stage(jobId, progress.stage());
            } else if (verdict instanceof PodVerdict.Failed failed
                    && earlyFailure == null
                    && !cancelRequested
                    && currentPod(podName) != null
                    && isEarly(failed)) {
                // While a cancel's grace period runs, the pod being deleted is expected: after_script still logs.
                earlyFailure = failed;
                // A build container that has terminated (OOMKilled, killed by a signal) has a finite log: the follower
                // reads it to the end, so the trace keeps what the build printed before it died.
                if (followingHelper || !buildLogEnded(podName)) {
                    stopFollowing();
                }
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
        PodVerdict verdict = PodVerdicts.of(currentPod(podName), env.clock().instant(), pollTimeout);
        while (verdict instanceof PodVerdict.InProgress && env.clock().instant().isBefore(deadline) && !abandoned) {
            sleep(env.timings().podPoll());
            verdict = PodVerdicts.of(currentPod(podName), env.clock().instant(), pollTimeout);
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
        return BuildExit.succeeded(
                () -> currentPod(podName),
                env.clock(),
                env.timings().verdictSettle(),
                env.timings().podPoll(),
                () -> abandoned || aborted,
                JobRun::sleep);
    }

    private void finishTrace(TraceWriter writer, PodVerdict verdict, String namespace, String podName) {
        ServiceExits.lines(currentPod(podName)).forEach(writer::message);
        if (verdict instanceof PodVerdict.Failed failed) {
            if (failed.reason() != FailureReason.SCRIPT_FAILURE) {
                env.pods().warnings(namespace, podName).forEach(writer::message);
            }
            boolean timeout = failed.reason() == FailureReason.JOB_EXECUTION_TIMEOUT;
            String closing = timeout ? timeoutLine() : failed.closingLine();
            if (timeout || failed.hasMoreToSay()) {
                writer.message("WARNING: " + failed.message());
            }
            if (failed.reason() == FailureReason.RUNNER_SYSTEM_FAILURE) {
                writer.jobFailedBySystem(closing);
            } else {
                writer.jobFailed(closing);
            }
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
            List<String> supported = supportedReasons();
            // A timeout or a cancel carries no exit code, as with gitlab-runner (its BuildError has none).
            boolean noExitCode = failed.exitCode() == null
                    || failed.reason() == FailureReason.JOB_EXECUTION_TIMEOUT
                    || failed.reason() == FailureReason.JOB_CANCELED;
            return JobUpdate.failed(failed.reason().forGitLab(supported), noExitCode ? 0 : failed.exitCode(), null, 0);
        }
        return JobUpdate.success(null, 0);
    }

    private void cleanUp(String namespace, String podName) {
        // A finished pod's containers have exited, so no grace is needed unless the fleet sets one
        // (cleanup_grace_period_seconds, which gitlab-runner's cleanup also passes to its delete).
        Long cleanupGrace = env.podContext().executor().cleanupGracePeriodSeconds();
        Duration grace = cancelRequested ? stopGrace() : Duration.ofSeconds(cleanupGrace == null ? 0 : cleanupGrace);
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
        String namespace = this.namespace;
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

    /** Whether the build container has terminated, so that following its log ends by itself. */
    private boolean buildLogEnded(String podName) {
        Pod pod = currentPod(podName);
        if (pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return false;
        }
        return pod.getStatus().getContainerStatuses().stream()
                .anyMatch(c -> TraceContainer.BUILD.equals(c.getName())
                        && c.getState() != null
                        && c.getState().getTerminated() != null);
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

    static List<String> maskedValues(JobPayload job) {
        List<String> values = new ArrayList<>();
        values.add(job.token());
        for (JobVariable variable : job.variables()) {
            if (variable.masked() && !variable.value().isEmpty()) {
                values.add(variable.value());
            }
        }
        return values;
    }

    static List<String> tokenPrefixes(JobPayload job) {
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
