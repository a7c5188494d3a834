package io.runnerfleet.manager.trace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;

/**
 * Follows one container's log to its end, however often the stream ends early.
 *
 * <p>A {@code follow=true} stream can close while the container still runs (API server request timeouts, kubelet
 * restarts, log rotation). When that happens the follower asks the {@link ContainerStateProbe} and, unless the
 * container is gone for good, reopens with {@code sinceTime} = the last forwarded line's timestamp cut to whole
 * seconds (all the API server honours). The resumed stream repeats lines of that second and earlier: the follower
 * drops every line older than the last forwarded timestamp, and as many lines at exactly that timestamp as it has
 * already forwarded, then forwards everything after. So no line is lost or repeated.
 *
 * <p>The sink gets the text of each line without its timestamp: what it gets depends on the log only, never on how
 * often streams broke, so a follower in another manager that reads the same log produces the same bytes.
 *
 * <p>A line is forwarded once its newline arrived. What is left at the end of a stream is dropped while the container
 * runs (the resumed stream repeats it whole); once the container has terminated and a stream opened after that brings
 * nothing new, the remainder is the container's last line without a newline and is forwarded as such.
 *
 * <p>That resume proves it lost nothing only when the resumed stream starts with a line it already forwarded: the
 * kubelet serves only a container's current log file, so after a rotation ({@code containerLogMaxSize}) the lines
 * between the last forwarded one and the start of the new file are gone from the stream. For a container that keeps
 * a copy of its output in a file ({@link LogFileReader}, the build), a resumed stream that does not overlap is a gap:
 * the follower stops reading the kubelet's log and reads the rest from the file at the byte offset of what it
 * forwarded ({@link LogFileFollowing}), so the trace stays whole and in order. A follower made for an adopted job
 * ({@code fromFile}) reads such a container from the file from byte 0 at once: what the kubelet rotated away before
 * the adoption is only there. A job whose streams overlap every time never reads the file.
 *
 * <p>{@link #follow} blocks; {@link #cancel()} (from another thread) or interrupting the thread ends it.
 */
public final class ContainerLogFollower {
    /**
     * @param initialBackoff          wait before reopening after a stream that brought nothing new or could not be
     *                                opened, and while the container has not started
     * @param maxBackoff              the wait doubles up to this
     * @param maxFailuresAfterExit    how often opening may fail once the container terminated before giving up
     */
    public record Settings(Duration initialBackoff, Duration maxBackoff, int maxFailuresAfterExit) {
        public static Settings defaults() {
            return new Settings(Duration.ofMillis(250), Duration.ofSeconds(5), 5);
        }
    }

    /**
     * After this many bytes of a container that keeps a copy of its output, the rest is read from the copy. A kubelet
     * stream that falls more than one rotation behind a fast writer skips the rotated files in between without a
     * break, so no resume could see the gap (the real cluster's 50 MB scenario lost 20 MB so); below the kubelet's
     * smallest sensible rotation size the stream is still whole. gitlab-runner reads the build from its file always
     * ({@code executors/kubernetes/log_processor.go}).
     */
    static final long READ_FROM_COPY_AFTER_BYTES = 2L * 1024 * 1024;

    private final LogStreamOpener opener;
    private final ContainerStateProbe probe;
    private final Settings settings;
    /** Where containers that keep a copy of their output can be read from; null for none. */
    private final LogFileReader files;
    /** Read such containers from their file from the start (an adopted job). */
    private final boolean fromFile;

    private volatile boolean cancelled;
    private volatile InputStream current;

    public ContainerLogFollower(LogStreamOpener opener, ContainerStateProbe probe, Settings settings) {
        this(opener, probe, settings, null, false);
    }

    /**
     * @param files    reads the containers that keep a copy of their output, when the kubelet's log has a gap
     * @param fromFile read those containers from their copy from the start (a job adopted from a dead manager)
     */
    public ContainerLogFollower(
            LogStreamOpener opener,
            ContainerStateProbe probe,
            Settings settings,
            LogFileReader files,
            boolean fromFile) {
        this.opener = Objects.requireNonNull(opener);
        this.probe = Objects.requireNonNull(probe);
        this.settings = Objects.requireNonNull(settings);
        this.files = files;
        this.fromFile = fromFile;
    }

    public ContainerLogFollower(LogStreamOpener opener, ContainerStateProbe probe) {
        this(opener, probe, Settings.defaults());
    }

    /** Stops {@link #follow} soon: it closes the open stream and returns {@link FollowResult.Outcome#CANCELLED}. */
    public void cancel() {
        cancelled = true;
        InputStream in = current;
        if (in != null) {
            closeQuietly(in);
        }
    }

    /** Delivers the container's whole log to {@code sink}, in order, each line once; returns when it ended. */
    public FollowResult follow(String container, LineSink sink) {
        boolean keepsFile = files != null && files.keepsFile(container);
        if (keepsFile && fromFile) {
            FollowResult read = fileFollowing().follow(container, 0, sink, 0, 0);
            if (read != null) {
                return read;
            }
        }
        Resume resume = new Resume(keepsFile);
        Duration backoff = settings.initialBackoff();
        int streams = 0;
        int failuresAfterExit = 0;
        while (true) {
            if (cancelled || Thread.currentThread().isInterrupted()) {
                return new FollowResult(FollowResult.Outcome.CANCELLED, resume.forwarded, streams);
            }
            ContainerRunState before = probe.state(container);
            switch (before) {
                case POD_GONE:
                    return new FollowResult(FollowResult.Outcome.POD_GONE, resume.forwarded, streams);
                case WILL_NOT_RUN:
                    return new FollowResult(FollowResult.Outcome.WILL_NOT_RUN, resume.forwarded, streams);
                case NOT_STARTED:
                    if (!sleep(backoff)) {
                        continue;
                    }
                    backoff = next(backoff);
                    continue;
                default:
                    break;
            }
            boolean exitedBeforeOpen = before == ContainerRunState.TERMINATED;
            InputStream in;
            try {
                in = opener.open(container, resume.sinceTime());
            } catch (LogStreamException e) {
                if (exitedBeforeOpen && ++failuresAfterExit >= settings.maxFailuresAfterExit()) {
                    return new FollowResult(FollowResult.Outcome.LOG_UNAVAILABLE, resume.forwarded, streams);
                }
                sleep(backoff);
                backoff = next(backoff);
                continue;
            }
            streams++;
            current = in;
            StreamRead read;
            try {
                read = readStream(in, resume, sink);
            } finally {
                current = null;
                closeQuietly(in);
            }
            if (cancelled) {
                return new FollowResult(FollowResult.Outcome.CANCELLED, resume.forwarded, streams);
            }
            if (read.gap) {
                FollowResult rest = fileFollowing().follow(container, resume.bytes, sink, resume.forwarded, streams);
                if (rest != null) {
                    return rest;
                }
                // No copy to read: the kubelet's log alone, as far as it goes.
                resume.checkContinuity = false;
                continue;
            }
            if (exitedBeforeOpen && read.newLines == 0 && read.clean) {
                // The log was complete when this stream opened and nothing in it was new: it was read to the end.
                if (read.remainder.length > 0) {
                    resume.forwardRemainder(read.remainder, sink);
                }
                return new FollowResult(FollowResult.Outcome.COMPLETED, resume.forwarded, streams);
            }
            if (read.newLines > 0) {
                backoff = settings.initialBackoff();
            } else {
                sleep(backoff);
                backoff = next(backoff);
            }
        }
    }

    // A carrier, never compared or hashed: identity equals() of the array does not matter.
    @SuppressWarnings("ArrayRecordComponent")
    private record StreamRead(long newLines, byte[] remainder, boolean clean, boolean gap) {}

    private LogFileFollowing fileFollowing() {
        return new LogFileFollowing(files, probe, settings, () -> cancelled);
    }

    /** Reads one stream to its end, forwarding complete new lines; returns what was left after the last newline. */
    private StreamRead readStream(InputStream in, Resume resume, LineSink sink) {
        resume.startStream();
        long before = resume.forwarded;
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        byte[] buffer = new byte[8192];
        boolean clean = true;
        try {
            int n;
            while ((n = in.read(buffer)) != -1) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        line.write(buffer, start, i + 1 - start);
                        if (!resume.offer(line.toByteArray(), sink)) {
                            return new StreamRead(resume.forwarded - before, new byte[0], clean, true);
                        }
                        line.reset();
                        start = i + 1;
                        if (resume.checkContinuity && resume.bytes >= READ_FROM_COPY_AFTER_BYTES) {
                            // Not a gap yet, but the copy goes on from exactly here (see READ_FROM_COPY_AFTER_BYTES).
                            return new StreamRead(resume.forwarded - before, new byte[0], clean, true);
                        }
                    }
                }
                line.write(buffer, start, n - start);
            }
        } catch (IOException e) {
            clean = false; // the stream broke: what is left is not a line, the next stream repeats it
        }
        return new StreamRead(resume.forwarded - before, line.toByteArray(), clean, false);
    }

    /** Where to resume and which repeated lines to drop. */
    private static final class Resume {
        private Instant lastTimestamp;
        private long seenAtLast;
        private long forwarded;
        /** Text bytes forwarded: the offset in the container's copy of its output where the stream has got to. */
        private long bytes;

        private boolean replaying;
        private long replayedAtLast;
        private boolean firstOfStream;
        /** A resumed stream must begin with a repeat, else it has a gap (only where there is a copy to fill it). */
        private boolean checkContinuity;

        Resume(boolean checkContinuity) {
            this.checkContinuity = checkContinuity;
        }

        Instant sinceTime() {
            return lastTimestamp == null ? null : lastTimestamp.truncatedTo(ChronoUnit.SECONDS);
        }

        void startStream() {
            replaying = lastTimestamp != null;
            replayedAtLast = 0;
            firstOfStream = true;
        }

        /**
         * A complete line with its timestamp and newline. False, forwarding nothing, when it is the first line of a
         * resumed stream and not one already forwarded: the stream does not overlap, lines may be missing before it.
         */
        boolean offer(byte[] raw, LineSink sink) {
            Parsed p = parse(raw);
            boolean first = firstOfStream;
            firstOfStream = false;
            if (replaying && isRepeat(p.timestamp)) {
                return true;
            }
            if (first && replaying && checkContinuity) {
                return false;
            }
            replaying = false;
            remember(p.timestamp);
            forwarded++;
            bytes += p.text.length;
            sink.line(p.timestamp, p.text);
            return true;
        }

        /** The container's last line, which has no newline; forwarded only if it is not a repeat. */
        void forwardRemainder(byte[] raw, LineSink sink) {
            Parsed p = parse(raw);
            if (replaying && isRepeat(p.timestamp)) {
                return;
            }
            remember(p.timestamp);
            forwarded++;
            bytes += p.text.length;
            sink.line(p.timestamp, p.text);
        }

        private boolean isRepeat(Instant ts) {
            if (ts == null) {
                ts = lastTimestamp; // an unparseable line counts as one more line of the last timestamp
            }
            int cmp = ts.compareTo(lastTimestamp);
            if (cmp < 0) {
                return true;
            }
            if (cmp == 0 && replayedAtLast < seenAtLast) {
                replayedAtLast++;
                return true;
            }
            return false;
        }

        private void remember(Instant ts) {
            if (ts == null || ts.equals(lastTimestamp)) {
                if (lastTimestamp != null) {
                    seenAtLast++;
                }
                return;
            }
            if (lastTimestamp == null || ts.isAfter(lastTimestamp)) {
                lastTimestamp = ts;
                seenAtLast = 1;
            }
        }
    }

    // A carrier, never compared or hashed: identity equals() of the array does not matter.
    @SuppressWarnings("ArrayRecordComponent")
    private record Parsed(Instant timestamp, byte[] text) {}

    /** Splits {@code <timestamp> <text>}; a line without a parseable timestamp is all text. */
    static Parsed parse(byte[] raw) {
        int space = -1;
        for (int i = 0; i < raw.length && i < 64; i++) {
            if (raw[i] == ' ') {
                space = i;
                break;
            }
        }
        if (space > 0) {
            Instant ts = KubeletTimestamps.parse(new String(raw, 0, space, StandardCharsets.US_ASCII));
            if (ts != null) {
                return new Parsed(ts, Arrays.copyOfRange(raw, space + 1, raw.length));
            }
        }
        return new Parsed(null, raw);
    }

    private Duration next(Duration backoff) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
    }

    /** Sleeps; false when interrupted or cancelled (the loop then returns CANCELLED). */
    private boolean sleep(Duration d) {
        if (cancelled) {
            return false;
        }
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing a finished or broken stream
        }
    }
}
