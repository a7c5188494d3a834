package io.runnerfleet.manager.trace;

import io.runnerfleet.base.FeatureFlags;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Composes a job's trace: a fixed preamble, then one section per container with that container's log lines, every
 * byte through secret masking and then the output limit, into a {@link TraceSink}.
 *
 * <p>Same logs in, same bytes out: apart from the section timestamps and, with {@code FF_TIMESTAMPS}, the time in
 * the runner's own line headers (from the clock given here; same length whatever the time) nothing depends on time, on which manager writes, or on how log streams broke. A manager that adopts a job re-reads the logs from the
 * start with a fresh writer and skips the bytes GitLab already has.
 *
 * <p>Pipeline per write, as gitlab-runner's trace buffer: invalid UTF-8 replaced (U+FFFD), secrets masked (held back
 * across writes while they might still be a secret), sensitive URL parameters masked ({@link UrlParamSanitizer}), with {@code FF_TIMESTAMPS} each line stamped ({@link
 * LineTimestamper}), output limit applied. Thread-safe: all methods synchronize.
 */
public final class TraceWriter {
    private final TraceSink sink;
    private final SecretMasker masker;
    /** gitlab-runner's urlsanitizer, after the masker as in its {@code buildlogger} chain. */
    private final UrlParamSanitizer urls = new UrlParamSanitizer();

    private final OutputLimiter limiter;
    private final Sections sections;
    private final Clock clock;
    /** {@code FF_TIMESTAMPS}: the runner's own lines (stream 00) and the containers' output (stream 01); or null. */
    private final LineTimestamper runnerStream;

    private final LineTimestamper workStream;
    private boolean finished;

    public TraceWriter(TraceSink sink, SecretMasker masker, OutputLimiter limiter, Clock clock) {
        this(sink, masker, limiter, clock, false);
    }

    /**
     * @param timestamps {@code FF_TIMESTAMPS}: every line gets gitlab-runner's timestamp header ({@link
     *     LineTimestamper}); a container's line is stamped with the time the kubelet recorded for it, so a manager
     *     that adopts the job and reads the log again writes the same bytes for it
     */
    public TraceWriter(TraceSink sink, SecretMasker masker, OutputLimiter limiter, Clock clock, boolean timestamps) {
        this.sink = sink;
        this.masker = masker;
        this.limiter = limiter;
        this.sections = new Sections(clock);
        this.clock = clock;
        // gitlab-runner: runner lines on StreamExecutorLevel, the Kubernetes log processor on StreamWorkLevel, stdout.
        this.runnerStream = timestamps ? new LineTimestamper(LineTimestamper.EXECUTOR_STREAM, 'O') : null;
        this.workStream = timestamps ? new LineTimestamper(LineTimestamper.WORK_STREAM, 'O') : null;
    }

    /**
     * A writer for one job: the job's masked variable values (masked also URL-encoded), its {@code features.token_mask_prefixes}, the runner's
     * {@code output_limit} in KiB (0 = 4096) and the clock section timestamps come from.
     */
    public static TraceWriter forJob(
            TraceSink sink,
            Collection<String> maskedValues,
            Collection<String> tokenPrefixes,
            int outputLimitKib,
            Clock clock) {
        return new TraceWriter(
                sink,
                new SecretMasker(SecretMasker.withUrlEncodedForms(maskedValues), tokenPrefixes),
                OutputLimiter.ofKibibytes(outputLimitKib),
                clock);
    }

    /**
     * A writer for one job with its resolved feature flags: {@code FF_TIMESTAMPS} stamps every line,
     * {@code FF_MASK_ALL_DEFAULT_TOKENS} masks all of GitLab's token prefixes ({@link SecretMasker}).
     */
    public static TraceWriter forJob(
            TraceSink sink,
            Collection<String> maskedValues,
            Collection<String> tokenPrefixes,
            int outputLimitKib,
            Clock clock,
            FeatureFlags.Resolved flags) {
        return new TraceWriter(
                sink,
                new SecretMasker(
                        SecretMasker.withUrlEncodedForms(maskedValues),
                        SecretMasker.withDefaultPrefixes(
                                tokenPrefixes, flags.isOn(FeatureFlags.MASK_ALL_DEFAULT_TOKENS))),
                OutputLimiter.ofKibibytes(outputLimitKib),
                clock,
                flags.isOn(FeatureFlags.TIMESTAMPS));
    }

    /** The runner's opening lines and the two preparation sections; see {@link TracePreamble}. */
    public synchronized void preamble(TracePreamble p) {
        write(Sections.line("Running with runner-fleet " + p.runnerVersion()));
        write(Sections.line("  on " + p.runnerName()));
        startSection(Sections.PREPARE_EXECUTOR, "Preparing the \"kubernetes\" executor");
        write(Sections.line("Using Kubernetes namespace: " + p.namespace()));
        endSection(Sections.PREPARE_EXECUTOR);
        startSection(Sections.PREPARE_SCRIPT, Sections.description(Sections.PREPARE_SCRIPT));
        p.notes().forEach(this::message);
        p.warnings().forEach(this::warning);
        write(Sections.line("Running on " + p.podName()));
        endSection(Sections.PREPARE_SCRIPT);
    }

    /** {@code section_start:<now>:<name>\r\033[0K} and the cyan header line. */
    public synchronized void startSection(String name, String header) {
        endWorkLine();
        write(sections.start(name));
        write(Sections.header(header));
    }

    /** {@code section_end:<now>:<name>\r\033[0K}. */
    public synchronized void endSection(String name) {
        endWorkLine();
        write(sections.end(name));
    }

    /** A runner message line ({@code \033[0K<text>\033[0;m\n}). */
    public synchronized void message(String text) {
        write(Sections.line(text));
    }

    /** A runner warning as gitlab-runner's {@code Warningln}: {@code \033[0;33mWARNING: <text>\033[0;m\n}. */
    public synchronized void warning(String text) {
        write(Ansi.YELLOW + "WARNING: " + text + Ansi.RESET + "\n");
    }

    /** gitlab-runner's closing line for a successful job: {@code \033[32;1mJob succeeded\033[0;m\n}. */
    public synchronized void jobSucceeded() {
        write(Ansi.BOLD_GREEN + "Job succeeded" + Ansi.RESET + "\n");
    }

    /** gitlab-runner's closing line for a failed job, e.g. {@code ERROR: Job failed: exit code 1}. */
    public synchronized void jobFailed(String reason) {
        write(Ansi.BOLD_RED + "ERROR: Job failed: " + reason + Ansi.RESET + "\n");
    }

    /** gitlab-runner's closing line for a runner system failure ({@code common/build.go}, setTraceStatus). */
    public synchronized void jobFailedBySystem(String reason) {
        write(Ansi.BOLD_RED + "ERROR: Job failed (system failure): " + reason + Ansi.RESET + "\n");
    }

    /** One line of container output (its newline included). */
    public synchronized void containerLine(byte[] text) {
        containerLine(null, text);
    }

    /** One line of container output, with the time the kubelet recorded for it (null: unknown, now is used). */
    public synchronized void containerLine(Instant timestamp, byte[] text) {
        write(sanitizeUtf8(text), workStream, timestamp == null ? clock.instant() : timestamp);
    }

    /**
     * Whole lines of container output without kubelet timestamps ({@link LineSink#lines}): the same bytes as {@link
     * #containerLine} line by line, written in slices of about {@link #SLICE_BYTES}. Each stage gives the same output
     * however its input is split (the masker holds back what may still be a secret, the URL check keeps its state),
     * and the output limit cuts at the same byte (never inside a character: every slice ends with a line). One call
     * through the pipeline per slice instead of per line, with no copy of each line, is what made it cheap (issue
     * #16). Line by line still where a line needs its own handling: {@code FF_TIMESTAMPS} stamps each with its own
     * time, and a slice that is not valid UTF-8 has its invalid bytes replaced line by line, as before.
     */
    public synchronized void containerLines(byte[] text, int from, int to) {
        if (workStream != null) {
            lineByLine(text, from, to);
            return;
        }
        int start = from;
        while (start < to) {
            int end = sliceEnd(text, start, to);
            if (isWellFormedUtf8(text, start, end)) {
                write(text, start, end - start);
            } else {
                lineByLine(text, start, end);
            }
            start = end;
        }
    }

    private void lineByLine(byte[] text, int from, int to) {
        int start = from;
        while (start < to) {
            int newline = ByteScan.indexOf(text, (byte) '\n', start, to);
            int end = newline < 0 ? to : newline + 1;
            containerLine(null, Arrays.copyOfRange(text, start, end));
            start = end;
        }
    }

    /**
     * Slices of this many bytes or a little less go through the pipeline at a time: large enough that the trace file
     * takes each in one write ({@code TraceStore.WRITE_BUFFER}), small enough that the copies along the way are a
     * fraction of the 4 MiB chunk being read.
     */
    static final int SLICE_BYTES = 256 * 1024;

    /** The end of the slice from {@code start}: after the last newline within {@link #SLICE_BYTES}, else the line's. */
    private static int sliceEnd(byte[] text, int start, int to) {
        if (to - start <= SLICE_BYTES) {
            return to;
        }
        int lastNewline = ByteScan.lastIndexOf(text, (byte) '\n', start, start + SLICE_BYTES);
        if (lastNewline >= 0) {
            return lastNewline + 1;
        }
        int newline = ByteScan.indexOf(text, (byte) '\n', start + SLICE_BYTES, to); // one line longer than a slice
        return newline < 0 ? to : newline + 1;
    }

    /** The sink a {@link ContainerLogFollower} writes to. */
    public LineSink lines() {
        return new LineSink() {
            @Override
            public void line(byte[] text) {
                containerLine(text);
            }

            @Override
            public void line(Instant timestamp, byte[] text) {
                containerLine(timestamp, text);
            }

            @Override
            public void lines(byte[] text, int from, int to) {
                containerLines(text, from, to);
            }
        };
    }

    /**
     * One container's section: start and header, its whole log as the follower delivers it, end. The section is
     * written whatever the container does, so the bytes do not depend on when the log was read.
     */
    public FollowResult container(TraceContainer c, ContainerLogFollower follower) {
        startSection(c.section(), c.header());
        FollowResult result = follower.follow(c.container(), lines());
        endSection(c.section());
        return result;
    }

    /** Preamble, then each container in order; stops early only if a follow is cancelled. */
    public List<FollowResult> job(
            TracePreamble preamble, List<TraceContainer> containers, ContainerLogFollower follower) {
        preamble(preamble);
        List<FollowResult> results = new ArrayList<>();
        for (TraceContainer c : containers) {
            FollowResult r = container(c, follower);
            results.add(r);
            if (r.outcome() == FollowResult.Outcome.CANCELLED) {
                break;
            }
        }
        return results;
    }

    /** End of trace: releases what the masker holds back. Further writes are refused. */
    public synchronized void finish() {
        if (finished) {
            return;
        }
        emit(urls.finish(masker.finish()), runnerStream, clock.instant());
        endWorkLine();
        if (runnerStream != null) {
            emit(runnerStream.close(), null, null);
        }
        finished = true;
    }

    /**
     * A container's last line without a newline is ended before a section starts or ends (gitlab-runner's timestamper
     * does the same when its stream closes), so it stays inside its section.
     */
    private synchronized void endWorkLine() {
        if (workStream != null) {
            emit(workStream.close(), null, null);
        }
    }

    /** Whether the output limit cut the trace. */
    public synchronized boolean truncated() {
        return limiter.truncated();
    }

    private void write(String s) {
        write(s.getBytes(StandardCharsets.UTF_8));
    }

    private void write(byte[] bytes) {
        write(bytes, runnerStream, runnerStream == null ? null : clock.instant());
    }

    private void write(byte[] bytes, LineTimestamper stream, Instant now) {
        if (finished) {
            throw new IllegalStateException("trace already finished");
        }
        emit(urls.write(masker.write(bytes)), stream, now);
    }

    /** Container output without {@code FF_TIMESTAMPS}, {@code text[from, from + length)}. */
    private void write(byte[] text, int from, int length) {
        if (finished) {
            throw new IllegalStateException("trace already finished");
        }
        emit(urls.write(masker.write(text, from, length)), null, null);
    }

    /** Masked bytes through the stream's timestamps (gitlab-runner stamps after masking), then the output limit. */
    private void emit(byte[] masked, LineTimestamper stream, Instant now) {
        byte[] stamped = stream == null || masked.length == 0 ? masked : stream.write(masked, now);
        byte[] limited = limiter.write(stamped);
        if (limited.length > 0) {
            sink.append(limited);
        }
    }

    /**
     * Whether the bytes are well-formed UTF-8 (Unicode's table 3-7: no overlong forms, no surrogates, nothing above
     * U+10FFFF), which is what the strict decoder accepts; read in place, since a decoder per line (and the chars it
     * decodes into) was a cost of every line, and then the byte loop over ASCII was (bench/README.md, issue #16).
     */
    static boolean isWellFormedUtf8(byte[] b) {
        return isWellFormedUtf8(b, 0, b.length);
    }

    /** {@link #isWellFormedUtf8(byte[])} of {@code b[from, to)}. */
    static boolean isWellFormedUtf8(byte[] b, int from, int to) {
        int n = to;
        int i = ByteScan.firstNonAscii(b, from, n);
        while (i < n) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                // Back in ASCII after a multi-byte character: skip the run a word at a time again.
                i = ByteScan.firstNonAscii(b, i, n);
                continue;
            }
            int more;
            int low = 0x80;
            int high = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                more = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                more = 2;
                if (c == 0xE0) {
                    low = 0xA0;
                } else if (c == 0xED) {
                    high = 0x9F;
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                more = 3;
                if (c == 0xF0) {
                    low = 0x90;
                } else if (c == 0xF4) {
                    high = 0x8F;
                }
            } else {
                return false;
            }
            if (i + more >= n) {
                return false; // the character is cut off by the end
            }
            int second = b[i + 1] & 0xff;
            if (second < low || second > high) {
                return false;
            }
            for (int k = 2; k <= more; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += more + 1;
        }
        return true;
    }

    /** Invalid UTF-8 becomes U+FFFD, as gitlab-runner's trace does; valid input is returned as is. */
    static byte[] sanitizeUtf8(byte[] bytes) {
        if (isWellFormedUtf8(bytes)) {
            return bytes;
        }
        CharsetDecoder strict = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            strict.decode(ByteBuffer.wrap(bytes));
            return bytes;
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        }
    }
}
