package io.runnerfleet.gitlab.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job's trace on its way to GitLab, as gitlab-runner's {@code network/trace.go} sends it: keeps every trace byte,
 * the offset GitLab acknowledged, a running CRC32; sends incremental {@code PATCH}es of at most 1 MiB at the update
 * interval GitLab asks for; continues from GitLab's length after a 416; touches the job ({@code state=running}) when
 * nothing was sent for the force-send interval; and at the end flushes everything and sends the final
 * {@code PUT} with {@code crc32:%08x} and the byte size, looping on 202 (wait), 412 (resend the whole trace) and
 * failures (wait, up to {@link Options#maxFinalAttempts()}).
 *
 * <p>{@link #append} may be called from any thread and never blocks on the network; {@link #flush()},
 * {@link #tick()} and {@link #finish(JobUpdate)} serialize their network calls. Masking secrets is the caller's
 * job: bytes given to {@link #append} are sent as they are.
 */
public final class TraceUploader implements AutoCloseable {
    /** gitlab-runner's {@code DefaultUpdateInterval}. */
    public static final Duration DEFAULT_UPDATE_INTERVAL = Duration.ofSeconds(3);
    /** gitlab-runner's {@code MaxUpdateInterval}: a server asking for more is capped here. */
    public static final Duration MAX_UPDATE_INTERVAL = Duration.ofMinutes(15);
    /** gitlab-runner's {@code MinTraceForceSendInterval}: touch the job when nothing was sent for this long. */
    public static final Duration FORCE_SEND_INTERVAL = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(TraceUploader.class);
    private static final int MAX_RANGE_MISMATCHES_PER_FLUSH = 3;

    /**
     * @param maxFinalAttempts how many PUT/PATCH rounds {@link #finish} tries before giving up
     * @param sleeper          what waits the update interval; tests pass one that does not really wait
     */
    public record Options(
            Duration defaultUpdateInterval,
            Duration maxUpdateInterval,
            Duration forceSendInterval,
            int maxFinalAttempts,
            Sleeper sleeper) {
        public Options {
            Objects.requireNonNull(defaultUpdateInterval, "defaultUpdateInterval");
            Objects.requireNonNull(maxUpdateInterval, "maxUpdateInterval");
            Objects.requireNonNull(forceSendInterval, "forceSendInterval");
            Objects.requireNonNull(sleeper, "sleeper");
            if (maxFinalAttempts < 1) {
                throw new IllegalArgumentException("maxFinalAttempts must be at least 1");
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_UPDATE_INTERVAL, MAX_UPDATE_INTERVAL, FORCE_SEND_INTERVAL, 100, Sleeper.REAL);
        }

        public Options withSleeper(Sleeper value) {
            return new Options(defaultUpdateInterval, maxUpdateInterval, forceSendInterval, maxFinalAttempts, value);
        }

        public Options withMaxFinalAttempts(int value) {
            return new Options(defaultUpdateInterval, maxUpdateInterval, forceSendInterval, value, sleeper);
        }

        public Options withIntervals(Duration defaultInterval, Duration forceSend) {
            return new Options(defaultInterval, maxUpdateInterval, forceSend, maxFinalAttempts, sleeper);
        }
    }

    /** What one periodic {@link #tick()} found. */
    public record TickResult(boolean keepRunning, boolean cancelRequested, boolean abort) {}

    /** How {@link #finish} ended. */
    public enum FinalOutcome {
        /** GitLab took the final update (200), or had already taken it (a replay answered 403 with our state). */
        ACCEPTED,
        /** The job is gone (403/404): canceled or finished elsewhere. */
        JOB_GONE,
        /** {@link Options#maxFinalAttempts()} rounds without a final answer. */
        GAVE_UP
    }

    /**
     * @param lastUpdate the last PUT's result (null if none was sent)
     * @param attempts   PUTs sent
     */
    public record FinalResult(
            FinalOutcome outcome, UpdateJobResult lastUpdate, String checksum, long bytesize, int attempts) {}

    /** Told about GitLab's wishes by the periodic loop ({@link #start}). */
    public interface Listener {
        /** {@code Job-Status: canceling}: cancel gracefully (after_script may still run). */
        default void onCancelRequested() {}

        /** The job is gone or {@code canceled}/{@code failed} in GitLab: abort it. */
        default void onAbort() {}
    }

    private final GitLabClient client;
    private final long jobId;
    private final String jobToken;
    private final Options options;

    private final Object lock = new Object();
    private final TraceStore store = new TraceStore();
    private final CRC32 crc = new CRC32();
    private long acknowledged;
    private Duration updateInterval;
    private long lastSentNanos = System.nanoTime();
    private volatile boolean finished;
    private final ReentrantLock sendLock = new ReentrantLock();

    public TraceUploader(GitLabClient client, long jobId, String jobToken) {
        this(client, jobId, jobToken, Options.defaults());
    }

    public TraceUploader(GitLabClient client, long jobId, String jobToken, Options options) {
        this.client = Objects.requireNonNull(client, "client");
        this.jobId = jobId;
        this.jobToken = Objects.requireNonNull(jobToken, "jobToken");
        this.options = Objects.requireNonNull(options, "options");
        this.updateInterval = options.defaultUpdateInterval();
    }

    /**
     * An uploader that carries on a trace of which GitLab already acknowledged {@code acknowledged} bytes (a job
     * adopted from another manager): {@code trace} must be every byte of the trace so far, so the final checksum
     * covers the whole trace.
     */
    public static TraceUploader resuming(
            GitLabClient client, long jobId, String jobToken, Options options, byte[] trace, long acknowledged) {
        TraceUploader uploader = new TraceUploader(client, jobId, jobToken, options);
        uploader.append(trace);
        synchronized (uploader.lock) {
            uploader.acknowledged = Math.max(0, Math.min(acknowledged, uploader.store.size()));
        }
        return uploader;
    }

    // ---------------------------------------------------------------------------------------------- the trace

    public void append(byte[] data) {
        append(data, 0, data.length);
    }

    public void append(String text) {
        append(text.getBytes(StandardCharsets.UTF_8));
    }

    public void append(byte[] data, int from, int length) {
        Objects.checkFromIndexSize(from, length, data.length);
        if (length == 0) {
            return;
        }
        synchronized (lock) {
            store.append(data, from, length);
            crc.update(data, from, length);
        }
    }

    /** Every trace byte appended so far. */
    public byte[] trace() {
        synchronized (lock) {
            return store.read(0, Math.toIntExact(store.size()));
        }
    }

    public long bytesize() {
        synchronized (lock) {
            return store.size();
        }
    }

    /** Whether the trace moved from the heap to a temporary file. */
    boolean traceSpilledToFile() {
        synchronized (lock) {
            return store.spilled();
        }
    }

    /** Frees the trace (deletes its temporary file); after the final update, when nothing is resent any more. */
    @Override
    public void close() {
        synchronized (lock) {
            store.close();
        }
    }

    /** {@code crc32:%08x} of every trace byte, as the final {@code PUT}'s {@code output.checksum}. */
    public String checksum() {
        synchronized (lock) {
            return formatChecksum(crc.getValue());
        }
    }

    /** The CRC32 (IEEE) checksum of {@code data} as GitLab expects it: {@code crc32:%08x}. */
    public static String checksum(byte[] data) {
        CRC32 c = new CRC32();
        c.update(data);
        return formatChecksum(c.getValue());
    }

    private static String formatChecksum(long value) {
        return String.format(Locale.ROOT, "crc32:%08x", value);
    }

    /** The trace length GitLab has acknowledged (202), or told us it has (416). */
    public long acknowledgedOffset() {
        synchronized (lock) {
            return acknowledged;
        }
    }

    /** Bytes appended but not yet acknowledged. */
    public boolean hasPending() {
        synchronized (lock) {
            return store.size() > acknowledged;
        }
    }

    /** The interval GitLab asked for ({@code X-GitLab-Trace-Update-Interval}), capped; the default until it asks. */
    public Duration updateInterval() {
        synchronized (lock) {
            return updateInterval;
        }
    }

    public long jobId() {
        return jobId;
    }

    // ---------------------------------------------------------------------------------------------- sending

    /**
     * Sends everything not yet acknowledged, in requests of at most 1 MiB, following GitLab's length after a 416.
     * Returns the last PATCH's result (ACCEPTED with status 0 when there was nothing to send).
     */
    public PatchTraceResult flush() {
        sendLock.lock();
        try {
            return flushLocked();
        } finally {
            sendLock.unlock();
        }
    }

    private PatchTraceResult flushLocked() {
        PatchTraceResult last = null;
        int mismatches = 0;
        while (true) {
            PatchTraceResult result = sendOnePatch();
            if (result == null) {
                return last != null
                        ? last
                        : new PatchTraceResult(
                                PatchTraceResult.Outcome.ACCEPTED,
                                acknowledgedOffset(),
                                -1,
                                0,
                                null,
                                java.util.Optional.empty());
            }
            last = result;
            switch (result.outcome()) {
                case ACCEPTED:
                    mismatches = 0;
                    continue;
                case RANGE_MISMATCH:
                    if (++mismatches > MAX_RANGE_MISMATCHES_PER_FLUSH) {
                        return result;
                    }
                    continue;
                default:
                    return result;
            }
        }
    }

    /** One PATCH of up to 1 MiB from the acknowledged offset, or null when nothing is pending. */
    private PatchTraceResult sendOnePatch() {
        byte[] chunk;
        long offset;
        synchronized (lock) {
            if (store.size() <= acknowledged) {
                return null;
            }
            offset = acknowledged;
            int length = (int) Math.min(GitLabClient.MAX_TRACE_PATCH_BYTES, store.size() - acknowledged);
            chunk = store.read(offset, length);
        }
        PatchTraceResult result = client.patchTrace(jobId, jobToken, chunk, offset);
        result.updateInterval().ifPresent(this::setUpdateInterval);
        if (result.outcome() == PatchTraceResult.Outcome.ACCEPTED
                || result.outcome() == PatchTraceResult.Outcome.RANGE_MISMATCH) {
            synchronized (lock) {
                acknowledged = Math.max(0, result.offset());
                lastSentNanos = System.nanoTime();
            }
        }
        if (result.outcome() == PatchTraceResult.Outcome.RANGE_MISMATCH) {
            LOG.info(
                    "trace range mismatch job={} sent_offset={} gitlab_length={}",
                    jobId,
                    offset,
                    result.remoteLength());
        }
        return result;
    }

    /**
     * One periodic step, as gitlab-runner's {@code incrementalUpdate}: flush; when nothing was sent for the
     * force-send interval, touch the job with {@code state=running}. Tells whether the job should keep running.
     */
    public TickResult tick() {
        sendLock.lock();
        try {
            if (finished) {
                return new TickResult(false, false, false);
            }
            PatchTraceResult patch = flushLocked();
            boolean cancel = patch.cancelRequested();
            if (patch.abort()) {
                return new TickResult(false, cancel, true);
            }
            if (patch.outcome() == PatchTraceResult.Outcome.ACCEPTED) {
                boolean due;
                synchronized (lock) {
                    due = System.nanoTime() - lastSentNanos
                            > options.forceSendInterval().toNanos();
                }
                if (due) {
                    UpdateJobResult touch =
                            client.updateJob(jobId, jobToken, JobUpdate.running(checksum(), bytesize()));
                    touch.updateInterval().ifPresent(this::setUpdateInterval);
                    if (touch.outcome() == UpdateJobResult.Outcome.ACCEPTED) {
                        synchronized (lock) {
                            lastSentNanos = System.nanoTime();
                        }
                    }
                    cancel |= touch.cancelRequested();
                    if (touch.abort()) {
                        return new TickResult(false, cancel, true);
                    }
                }
            }
            return new TickResult(true, cancel, false);
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Runs {@link #tick()} on {@code scheduler} every update interval (re-read after each tick) until
     * {@link #finish} or an abort. Stop the returned loop to end it early.
     */
    public Loop start(ScheduledExecutorService scheduler, Listener listener) {
        Loop loop = new Loop(scheduler, Objects.requireNonNull(listener, "listener"));
        loop.scheduleNext();
        return loop;
    }

    /**
     * The final update, as gitlab-runner's {@code finalUpdate}: flush all the trace, {@code PUT} the final state with
     * this trace's checksum and size (those of {@code update} are replaced), and loop: 200 → done; 403/404 → gone;
     * 202 → wait the update interval and send again; 412 → resend the whole trace from 0, wait, send again; other →
     * wait and retry, up to {@link Options#maxFinalAttempts()} rounds.
     */
    public FinalResult finish(JobUpdate update) {
        Objects.requireNonNull(update, "update");
        finished = true;
        sendLock.lock();
        try {
            setUpdateInterval(options.defaultUpdateInterval());
            UpdateJobResult last = null;
            int puts = 0;
            int rounds = 0;
            while (rounds < options.maxFinalAttempts()) {
                rounds++;
                if (!ensureAllSent(options.maxFinalAttempts())) {
                    return new FinalResult(FinalOutcome.GAVE_UP, last, checksum(), bytesize(), puts);
                }
                String sum = checksum();
                long bytes = bytesize();
                last = client.updateJob(jobId, jobToken, update.withOutput(sum, bytes));
                puts++;
                last.updateInterval().ifPresent(this::setUpdateInterval);
                switch (last.outcome()) {
                    case ACCEPTED:
                        LOG.info(
                                "trace final update accepted job={} state={} bytesize={} checksum={} puts={}",
                                jobId,
                                update.state().wire(),
                                bytes,
                                sum,
                                puts);
                        return new FinalResult(FinalOutcome.ACCEPTED, last, sum, bytes, puts);
                    case JOB_GONE:
                        if (update.state().wire().equals(last.jobStatus())) {
                            // A retried PUT after GitLab had taken the first: it is already in our final state.
                            return new FinalResult(FinalOutcome.ACCEPTED, last, sum, bytes, puts);
                        }
                        LOG.warn(
                                "trace final update job gone job={} status={} job_status={}",
                                jobId,
                                last.status(),
                                last.jobStatus());
                        return new FinalResult(FinalOutcome.JOB_GONE, last, sum, bytes, puts);
                    case TRACE_VALIDATION_FAILED:
                        LOG.warn(
                                "trace final update rejected checksum, resending whole trace job={} bytesize={}"
                                        + " checksum={}",
                                jobId,
                                bytes,
                                sum);
                        synchronized (lock) {
                            acknowledged = 0;
                            lastSentNanos = System.nanoTime();
                        }
                        break;
                    default:
                        break;
                }
                if (!sleep(updateInterval())) {
                    break;
                }
            }
            LOG.error("trace final update gave up job={} puts={}", jobId, puts);
            return new FinalResult(FinalOutcome.GAVE_UP, last, checksum(), bytesize(), puts);
        } finally {
            sendLock.unlock();
        }
    }

    /** gitlab-runner's {@code ensureAllTraceSent}; false when interrupted or out of attempts. */
    private boolean ensureAllSent(int maxRounds) {
        int failures = 0;
        while (hasPending()) {
            PatchTraceResult result = sendOnePatch();
            if (result == null) {
                return true;
            }
            switch (result.outcome()) {
                case ACCEPTED:
                    continue;
                case JOB_GONE:
                    return true;
                default:
                    if (++failures >= maxRounds) {
                        return false;
                    }
                    if (!sleep(updateInterval())) {
                        return false;
                    }
            }
        }
        return true;
    }

    private boolean sleep(Duration duration) {
        try {
            options.sleeper().sleep(duration);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void setUpdateInterval(Duration requested) {
        if (requested == null || requested.isZero() || requested.isNegative()) {
            return;
        }
        synchronized (lock) {
            updateInterval =
                    requested.compareTo(options.maxUpdateInterval()) > 0 ? options.maxUpdateInterval() : requested;
        }
    }

    /** The periodic loop {@link #start} runs: one tick at a time, each scheduling the next. */
    public final class Loop {
        private final ScheduledExecutorService scheduler;
        private final Listener listener;
        private volatile boolean stopped;
        private volatile ScheduledFuture<?> next;

        private Loop(ScheduledExecutorService scheduler, Listener listener) {
            this.scheduler = scheduler;
            this.listener = listener;
        }

        /** No tick starts after this; one running now still completes. */
        public void stop() {
            stopped = true;
            ScheduledFuture<?> scheduled = next;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }

        private void scheduleNext() {
            next = scheduler.schedule(this::step, updateInterval().toMillis(), TimeUnit.MILLISECONDS);
        }

        private void step() {
            if (finished || stopped) {
                return;
            }
            TickResult result;
            try {
                result = tick();
            } catch (RuntimeException e) {
                LOG.warn("trace tick failed job={} error=\"{}\"", jobId, e.toString());
                result = new TickResult(true, false, false);
            }
            if (result.cancelRequested()) {
                listener.onCancelRequested();
            }
            if (result.abort()) {
                listener.onAbort();
                return;
            }
            if (result.keepRunning() && !finished && !stopped && !scheduler.isShutdown()) {
                scheduleNext();
            }
        }
    }
}
