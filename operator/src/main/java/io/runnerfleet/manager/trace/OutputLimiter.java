package io.runnerfleet.manager.trace;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The trace size cap ({@code output_limit}), as gitlab-runner's {@code limitWriter} in {@code helpers/trace/buffer.go}:
 * bytes pass until the cap; the write that reaches it is cut at the cap (never inside a UTF-8 character) and followed
 * by GitLab's notice; everything after that is dropped silently while the job keeps running. The notice counts
 * towards {@link #written()} but is not cut.
 *
 * <p>Not thread-safe; one instance per trace.
 */
public final class OutputLimiter {
    /** {@code output_limit = 0} means gitlab-runner's default, 4096 KiB ({@code DefaultTraceOutputLimit}). */
    public static final int DEFAULT_LIMIT_KIB = 4096;

    private final long limit;
    private long written;
    private boolean truncated;

    public OutputLimiter(long limitBytes) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limitBytes);
        }
        this.limit = limitBytes;
    }

    /** From {@code [[runners]] output_limit} in KiB; 0 or less means the default. */
    public static OutputLimiter ofKibibytes(int outputLimitKib) {
        return new OutputLimiter((outputLimitKib <= 0 ? DEFAULT_LIMIT_KIB : outputLimitKib) * 1024L);
    }

    /** GitLab's notice for a cap of {@code limitBytes}, exactly as gitlab-runner writes it. */
    public static String notice(long limitBytes) {
        return "\n" + Ansi.BOLD_YELLOW + "Job's log exceeded limit of " + limitBytes + " bytes.\n"
                + "Job execution will continue but no more output will be collected." + Ansi.RESET + "\n";
    }

    /** The bytes to append for {@code data}: all of it, a cut plus the notice, or nothing once truncated. */
    public byte[] write(byte[] data) {
        if (data.length == 0 || truncated) {
            return new byte[0];
        }
        long capacity = limit - written;
        if (data.length < capacity) {
            written += data.length;
            return data;
        }
        int cut = utf8SafeCut(data, (int) capacity);
        byte[] notice = notice(limit).getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(data, cut + notice.length);
        System.arraycopy(notice, 0, out, cut, notice.length);
        written += out.length;
        truncated = true;
        return out;
    }

    public boolean truncated() {
        return truncated;
    }

    /** Bytes let through so far, notice included. */
    public long written() {
        return written;
    }

    public long limit() {
        return limit;
    }

    /** The largest length ≤ capacity that does not end inside a multi-byte character. */
    static int utf8SafeCut(byte[] data, int capacity) {
        if (capacity >= data.length) {
            return data.length;
        }
        int cut = capacity;
        // Back up over continuation bytes (10xxxxxx) to the start of the character the cut falls in.
        for (int i = 0; i < 3 && cut > 0 && (data[cut] & 0xC0) == 0x80; i++) {
            cut--;
        }
        if ((data[cut] & 0xC0) == 0x80) {
            return capacity; // not UTF-8 here; cut where told
        }
        return cut;
    }
}
