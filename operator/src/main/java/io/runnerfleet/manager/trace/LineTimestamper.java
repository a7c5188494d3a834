package io.runnerfleet.manager.trace;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * {@code FF_TIMESTAMPS}: one stream of the trace with gitlab-runner's per-line header, ported from its timestamper
 * ({@code common/buildlogger/internal/timestamper/timestamper.go}, gitlab-runner 17+):
 * {@code <UTC time, microseconds>Z <stream id, 2 hex digits><stream type O|E><' ', or '+' when the line continues
 * the previous one><text>}, e.g. {@code 2026-12-03T10:38:50.123456Z 01O make test\n}.
 *
 * <p>As upstream, per {@link #write}: every {@code \n} ends a line, each with its own header; a write with a
 * {@code \r} but no further {@code \n} (a progress bar, a section marker) is emitted whole at once with a {@code \n}
 * added, and the next line is marked as a continuation ({@code +}); text without a newline is held (up to 8 KiB,
 * beyond that emitted with a {@code \n} and the continuation mark) until the line ends or {@link #close}. The
 * header's time is the time of the line's first write, given by the caller.
 *
 * <p>Not thread-safe; one instance per stream of one trace.
 */
final class LineTimestamper {
    /** gitlab-runner's stream numbers ({@code common/buildlogger/build_logger.go}). */
    static final int EXECUTOR_STREAM = 0;

    static final int WORK_STREAM = 1;
    /** gitlab-runner's {@code bufSize}. */
    static final int BUFFER_SIZE = 8 * 1024;

    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z '").withZone(ZoneOffset.UTC);

    private final byte[] stream;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private boolean continuation;

    /** {@code streamType} is {@code 'O'} (stdout) or {@code 'E'} (stderr). */
    LineTimestamper(int streamNumber, char streamType) {
        this.stream = String.format("%02x%c", streamNumber & 0xff, streamType).getBytes(StandardCharsets.US_ASCII);
    }

    /** The stamped bytes for one write made at {@code now}; may be empty while a line is held. */
    byte[] write(byte[] p, Instant now) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(p.length + 64);
        int n = writeLines(p, now, out);
        n += writeCarriageReturns(p, n, now, out);
        hold(p, n, now, out);
        return out.toByteArray();
    }

    /** A held partial line, ended with {@code \n}; empty when none is held. */
    byte[] close() {
        if (buffer.size() == 0) {
            return new byte[0];
        }
        buffer.write('\n');
        byte[] held = buffer.toByteArray();
        buffer.reset();
        return held;
    }

    private int writeLines(byte[] p, Instant now, ByteArrayOutputStream out) {
        int idx = indexOf(p, 0, (byte) '\n');
        if (idx < 0) {
            return 0;
        }
        int n = 0;
        if (buffer.size() > 0) {
            // The held line's header is already in the buffer.
            out.writeBytes(buffer.toByteArray());
            buffer.reset();
            out.write(p, 0, idx + 1);
            n = idx + 1;
        }
        while ((idx = indexOf(p, n, (byte) '\n')) >= 0) {
            header(out, now);
            out.write(p, n, idx + 1 - n);
            n = idx + 1;
        }
        return n;
    }

    private int writeCarriageReturns(byte[] p, int from, Instant now, ByteArrayOutputStream out) {
        if (indexOf(p, from, (byte) '\r') < 0) {
            return 0;
        }
        if (buffer.size() > 0) {
            out.writeBytes(buffer.toByteArray());
            buffer.reset();
        } else {
            header(out, now);
        }
        out.write(p, from, p.length - from);
        out.write('\n');
        continuation = true;
        return p.length - from;
    }

    private void hold(byte[] p, int from, Instant now, ByteArrayOutputStream out) {
        int length = p.length - from;
        if (length == 0) {
            return;
        }
        if (length + buffer.size() > BUFFER_SIZE) {
            if (buffer.size() == 0) {
                header(out, now);
            }
            out.writeBytes(buffer.toByteArray());
            buffer.reset();
            continuation = true;
            out.write(p, from, length);
            out.write('\n');
            return;
        }
        if (buffer.size() == 0) {
            header(buffer, now);
        }
        buffer.write(p, from, length);
    }

    private void header(ByteArrayOutputStream out, Instant now) {
        out.writeBytes(MICROS.format(now).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(stream);
        out.write(continuation ? '+' : ' ');
        continuation = false;
    }

    private static int indexOf(byte[] p, int from, byte b) {
        for (int i = from; i < p.length; i++) {
            if (p[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
