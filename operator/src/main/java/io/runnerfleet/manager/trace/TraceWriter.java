package io.runnerfleet.manager.trace;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Composes a job's trace: a fixed preamble, then one section per container with that container's log lines, every
 * byte through secret masking and then the output limit, into a {@link TraceSink}.
 *
 * <p>Same logs in, same bytes out: apart from the section timestamps (from the clock given here) nothing depends on
 * time, on which manager writes, or on how log streams broke. A manager that adopts a job re-reads the logs from the
 * start with a fresh writer and skips the bytes GitLab already has.
 *
 * <p>Pipeline per write, as gitlab-runner's trace buffer: invalid UTF-8 replaced (U+FFFD), secrets masked (held back
 * across writes while they might still be a secret), output limit applied. Thread-safe: all methods synchronize.
 */
public final class TraceWriter {
    private final TraceSink sink;
    private final SecretMasker masker;
    private final OutputLimiter limiter;
    private final Sections sections;
    private boolean finished;

    public TraceWriter(TraceSink sink, SecretMasker masker, OutputLimiter limiter, Clock clock) {
        this.sink = sink;
        this.masker = masker;
        this.limiter = limiter;
        this.sections = new Sections(clock);
    }

    /**
     * A writer for one job: the job's masked variable values, its {@code features.token_mask_prefixes}, the runner's
     * {@code output_limit} in KiB (0 = 4096) and the clock section timestamps come from.
     */
    public static TraceWriter forJob(
            TraceSink sink,
            Collection<String> maskedValues,
            Collection<String> tokenPrefixes,
            int outputLimitKib,
            Clock clock) {
        return new TraceWriter(
                sink, new SecretMasker(maskedValues, tokenPrefixes), OutputLimiter.ofKibibytes(outputLimitKib), clock);
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
        write(sections.start(name));
        write(Sections.header(header));
    }

    /** {@code section_end:<now>:<name>\r\033[0K}. */
    public synchronized void endSection(String name) {
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
        write(sanitizeUtf8(text));
    }

    /** The sink a {@link ContainerLogFollower} writes to. */
    public LineSink lines() {
        return this::containerLine;
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
        emit(masker.finish());
        finished = true;
    }

    /** Whether the output limit cut the trace. */
    public synchronized boolean truncated() {
        return limiter.truncated();
    }

    private void write(String s) {
        write(s.getBytes(StandardCharsets.UTF_8));
    }

    private void write(byte[] bytes) {
        if (finished) {
            throw new IllegalStateException("trace already finished");
        }
        emit(masker.write(bytes));
    }

    private void emit(byte[] masked) {
        byte[] limited = limiter.write(masked);
        if (limited.length > 0) {
            sink.append(limited);
        }
    }

    /** Invalid UTF-8 becomes U+FFFD, as gitlab-runner's trace does; valid input is returned as is. */
    static byte[] sanitizeUtf8(byte[] bytes) {
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
