package io.runnerfleet.manager.trace;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a container through the copy of its output the Job Pod keeps in a file ({@link LogFileReader}), from a
 * byte offset to its end: what {@link ContainerLogFollower} does when the kubelet's log cannot be trusted to be whole
 * (adoption; a resumed stream that does not overlap what was forwarded). Byte offsets make it exact: nothing is
 * repeated or skipped, whatever the kubelet rotated.
 *
 * <p>The end comes from the file itself: a read that began after the build's exit code existed (the wrapper writes it
 * only once its {@code tee} drained) and brings nothing is at the complete file's end, and it lets the helper, which
 * the reads exec into, exit ({@link KubernetesLogFiles}). Reading on until then, instead of stopping at the
 * container's state, keeps a reader that was a poll behind from losing the build's last lines. A build killed as a
 * whole writes no exit code: there a read that brings nothing, begun after the container was seen terminated, ends
 * the follow.
 *
 * <p>After a read that brought a whole chunk (more is there), the next is read ahead while this one is forwarded
 * ({@link LogFileReadAhead}); a chunk's whole lines go to the sink as one run ({@link LineSink#lines}).
 */
final class LogFileFollowing {
    private static final Logger LOG = LoggerFactory.getLogger(LogFileFollowing.class);

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
        LOG.info("log file {}: reading {} from byte {}", files, container, offset);
        try (LogFileReadAhead ahead = new LogFileReadAhead(files, container)) {
            return follow(container, offset, sink, linesBefore, streams, ahead);
        }
    }

    private FollowResult follow(
            String container, long offset, LineSink sink, long linesBefore, int streams, LogFileReadAhead ahead) {
        Lines lines = new Lines(sink);
        long at = offset;
        Duration backoff = settings.initialBackoff();
        int failures = 0;
        int reads = 0;
        while (true) {
            if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                return result(FollowResult.Outcome.CANCELLED, linesBefore, lines, streams + reads);
            }
            ContainerRunState state = probe.state(container);
            if (state == ContainerRunState.POD_GONE || state == ContainerRunState.WILL_NOT_RUN) {
                LOG.info("log file {}: {} at byte {} after {} reads", files, state, at, reads);
                return result(
                        state == ContainerRunState.POD_GONE
                                ? FollowResult.Outcome.POD_GONE
                                : FollowResult.Outcome.WILL_NOT_RUN,
                        linesBefore,
                        lines,
                        streams + reads);
            }
            if (state == ContainerRunState.NOT_STARTED) {
                backoff = pause(backoff);
                continue;
            }
            boolean terminated = state == ContainerRunState.TERMINATED;
            LogFileReader.Chunk chunk;
            try {
                chunk = ahead.take(at);
                if (chunk == null || (chunk.bytes().length == 0 && !chunk.ended())) {
                    // None read ahead, or an empty one of a file not known complete: that read began before this
                    // state was seen, and only a read begun after it may say a terminated container's file ends here.
                    // (An empty read with ended is the end whenever it began, and may have let the helper exit.)
                    chunk = files.read(container, at);
                }
                reads++;
                failures = 0;
            } catch (LogFileReader.Unavailable e) {
                LOG.warn("log file {}: unavailable at byte {} after {} reads: {}", files, at, reads, e.getMessage());
                return reads > 0 ? result(FollowResult.Outcome.LOG_UNAVAILABLE, linesBefore, lines, streams) : null;
            } catch (LogStreamException e) {
                if (++failures >= settings.maxFailuresAfterExit()) {
                    LOG.warn(
                            "log file {}: {} reads failed at byte {} after {} reads, the last: {}",
                            files,
                            failures,
                            at,
                            reads,
                            e.getMessage());
                    return reads > 0 ? result(FollowResult.Outcome.LOG_UNAVAILABLE, linesBefore, lines, streams) : null;
                }
                backoff = pause(backoff);
                continue;
            }
            byte[] bytes = chunk.bytes();
            at += bytes.length;
            if (bytes.length >= files.chunkBytes()) {
                ahead.start(at); // more is there already: read it while this chunk is forwarded
                lines.feed(bytes);
                continue;
            }
            lines.feed(bytes);
            if (bytes.length == 0 && (chunk.ended() || terminated)) {
                // ended: the build's exit code existed, so the file was complete, and this read at its end told the
                // helper it may exit. terminated without ended: a build killed as a whole, whose file ends here.
                lines.finish();
                LOG.info("log file {}: read to its end, byte {}, in {} reads", files, at, reads);
                return result(FollowResult.Outcome.COMPLETED, linesBefore, lines, streams + reads);
            }
            if (chunk.ended()) {
                continue; // the rest of a complete file: the next read, at its end, brings nothing and completes
            }
            backoff = bytes.length > 0 ? pause(settings.initialBackoff()) : pause(backoff);
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

        /**
         * The chunk's whole lines go to the sink as one run ({@link LineSink#lines}), not a copy each; only a line
         * cut by the chunk's start or end is gathered in {@link #partial}.
         */
        void feed(byte[] chunk) {
            int first = ByteScan.indexOf(chunk, (byte) '\n', 0, chunk.length);
            if (first < 0) {
                partial.write(chunk, 0, chunk.length);
                return;
            }
            int start = 0;
            if (partial.size() > 0) {
                partial.write(chunk, 0, first + 1);
                forward();
                start = first + 1;
            }
            int wholeEnd = ByteScan.lastIndexOf(chunk, (byte) '\n', start, chunk.length) + 1;
            if (wholeEnd > start) {
                sink.lines(chunk, start, wholeEnd);
                forwarded += ByteScan.count(chunk, (byte) '\n', start, wholeEnd);
            } else {
                wholeEnd = start;
            }
            partial.write(chunk, wholeEnd, chunk.length - wholeEnd);
        }

        /** The container's last line, which has no newline. */
        void finish() {
            if (partial.size() > 0) {
                forward();
            }
        }

        private void forward() {
            forward(partial.toByteArray());
            partial.reset();
        }

        private void forward(byte[] line) {
            // No kubelet timestamp here: the trace stamps the line when it writes it (FF_TIMESTAMPS).
            sink.line(null, line);
            forwarded++;
        }
    }
}
