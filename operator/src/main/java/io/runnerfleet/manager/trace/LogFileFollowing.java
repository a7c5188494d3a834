package io.runnerfleet.manager.trace;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Follows a container through the copy of its output the Job Pod keeps in a file ({@link LogFileReader}), from a
 * byte offset to its end: what {@link ContainerLogFollower} does when the kubelet's log cannot be trusted to be whole
 * (adoption; a resumed stream that does not overlap what was forwarded). Byte offsets make it exact: nothing is
 * repeated or skipped, whatever the kubelet rotated.
 *
 * <p>The file is complete once the container has terminated: the build's wrapper waits for its {@code tee} before it
 * exits. So a read that brings nothing, started after the container was seen terminated, ends the follow.
 */
final class LogFileFollowing {
    private final LogFileReader files;
    private final ContainerStateProbe probe;
    private final ContainerLogFollower.Settings settings;
    private final BooleanSupplier cancelled;

    LogFileFollowing(
            LogFileReader files,
            ContainerStateProbe probe,
            ContainerLogFollower.Settings settings,
            BooleanSupplier cancelled) {
        this.files = files;
        this.probe = probe;
        this.settings = settings;
        this.cancelled = cancelled;
    }

    /**
     * Forwards the container's output from byte {@code offset} on, line by line; null when nothing could be read from
     * the file at all (no file, no exec): the caller then follows the kubelet's log as before.
     *
     * @param linesBefore lines the caller already forwarded, to count in the result
     * @param streams     streams the caller already opened, to count in the result
     */
    FollowResult follow(String container, long offset, LineSink sink, long linesBefore, int streams) {
        Lines lines = new Lines(sink);
        long at = offset;
        Duration backoff = settings.initialBackoff();
        int failures = 0;
        int reads = 0;
        boolean readAny = false;
        while (true) {
            if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                return result(FollowResult.Outcome.CANCELLED, linesBefore, lines, streams + reads);
            }
            ContainerRunState state = probe.state(container);
            if (state == ContainerRunState.POD_GONE) {
                return result(FollowResult.Outcome.POD_GONE, linesBefore, lines, streams + reads);
            }
            if (state == ContainerRunState.WILL_NOT_RUN) {
                return result(FollowResult.Outcome.WILL_NOT_RUN, linesBefore, lines, streams + reads);
            }
            if (state == ContainerRunState.NOT_STARTED) {
                backoff = pause(backoff);
                continue;
            }
            boolean complete = state == ContainerRunState.TERMINATED;
            byte[] chunk;
            try {
                chunk = files.read(container, at);
                reads++;
                failures = 0;
                readAny = true;
            } catch (LogFileReader.Unavailable e) {
                return readAny ? result(FollowResult.Outcome.LOG_UNAVAILABLE, linesBefore, lines, streams) : null;
            } catch (LogStreamException e) {
                if (++failures >= settings.maxFailuresAfterExit()) {
                    return readAny ? result(FollowResult.Outcome.LOG_UNAVAILABLE, linesBefore, lines, streams) : null;
                }
                backoff = pause(backoff);
                continue;
            }
            at += chunk.length;
            lines.feed(chunk);
            if (chunk.length >= files.chunkBytes()) {
                continue; // more is there already
            }
            if (chunk.length == 0 && complete) {
                lines.finish();
                return result(FollowResult.Outcome.COMPLETED, linesBefore, lines, streams + reads);
            }
            backoff = chunk.length > 0 ? pause(settings.initialBackoff()) : pause(backoff);
        }
    }

    private static FollowResult result(FollowResult.Outcome outcome, long before, Lines lines, int streams) {
        return new FollowResult(outcome, before + lines.forwarded, streams);
    }

    /** Sleeps {@code d}; returns the next, doubled, wait. */
    private Duration pause(Duration d) {
        if (!cancelled.getAsBoolean()) {
            try {
                Thread.sleep(Math.max(1, d.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Duration doubled = d.multipliedBy(2);
        return doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
    }

    /** Splits bytes into lines for the sink; what follows the last newline waits for more, or for the end. */
    private static final class Lines {
        private final LineSink sink;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream(256);
        private long forwarded;

        Lines(LineSink sink) {
            this.sink = sink;
        }

        void feed(byte[] chunk) {
            int start = 0;
            for (int i = 0; i < chunk.length; i++) {
                if (chunk[i] == '\n') {
                    partial.write(chunk, start, i + 1 - start);
                    forward();
                    start = i + 1;
                }
            }
            partial.write(chunk, start, chunk.length - start);
        }

        /** The container's last line, which has no newline. */
        void finish() {
            if (partial.size() > 0) {
                forward();
            }
        }

        private void forward() {
            // No kubelet timestamp here: the trace stamps the line when it writes it (FF_TIMESTAMPS).
            sink.line(null, partial.toByteArray());
            partial.reset();
            forwarded++;
        }
    }
}
