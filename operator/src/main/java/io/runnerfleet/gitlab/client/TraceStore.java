package io.runnerfleet.gitlab.client;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The bytes of one job's trace, kept for re-sending (GitLab may answer 412 and ask for all of it). Small traces stay
 * on the heap; past {@link #SPILL_BYTES} they move to a temporary file, as gitlab-runner keeps its trace in a file,
 * so 30 jobs with a large {@code output_limit} do not fill the manager's heap. Not thread-safe: the uploader locks.
 */
final class TraceStore implements AutoCloseable {
    static final int SPILL_BYTES = 1024 * 1024;

    private byte[] memory = new byte[8192];
    private long size;
    private Path file;
    private RandomAccessFile spilled;

    void append(byte[] data, int from, int length) {
        try {
            if (spilled == null && size + length > SPILL_BYTES) {
                spill();
            }
            if (spilled != null) {
                spilled.seek(size);
                spilled.write(data, from, length);
            } else {
                if (size + length > memory.length) {
                    memory = Arrays.copyOf(memory, (int) Math.max((long) memory.length * 2, size + length));
                }
                System.arraycopy(data, from, memory, (int) size, length);
            }
            size += length;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the job trace in " + file, e);
        }
    }

    long size() {
        return size;
    }

    /** {@code length} bytes from {@code offset}; both within what was appended. */
    byte[] read(long offset, int length) {
        if (spilled == null) {
            return Arrays.copyOfRange(memory, (int) offset, (int) offset + length);
        }
        try {
            byte[] out = new byte[length];
            spilled.seek(offset);
            spilled.readFully(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the job trace from " + file, e);
        }
    }

    /** Whether the trace lives in a file now (for tests and diagnostics). */
    boolean spilled() {
        return spilled != null;
    }

    private void spill() throws IOException {
        file = Files.createTempFile("runner-fleet-trace-", ".log");
        file.toFile().deleteOnExit();
        spilled = new RandomAccessFile(file.toFile(), "rw");
        spilled.write(memory, 0, (int) size);
        memory = null;
    }

    @Override
    public void close() {
        if (spilled == null) {
            return;
        }
        try {
            spilled.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temp file left behind is removed when the JVM exits
        }
    }
}
