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
    /**
     * Appends to the file gather here and go out in one write when it is full or before a read: a write (and a seek)
     * per log line was two system calls per line on the log path (bench/README.md, issue #16).
     */
    static final int WRITE_BUFFER = 64 * 1024;

    private Path file;
    private RandomAccessFile spilled;
    private byte[] unwritten;
    private int unwrittenBytes;

    void append(byte[] data, int from, int length) {
        try {
            if (spilled == null && size + length > SPILL_BYTES) {
                spill();
            }
            if (spilled != null) {
                if (unwrittenBytes + length > WRITE_BUFFER) {
                    flush();
                }
                if (length >= WRITE_BUFFER) {
                    spilled.seek(size);
                    spilled.write(data, from, length);
                } else {
                    System.arraycopy(data, from, unwritten, unwrittenBytes, length);
                    unwrittenBytes += length;
                }
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
            flush();
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

    /** Writes out what {@link #append} gathered; it belongs at the end of the file, before the last {@code size}. */
    private void flush() throws IOException {
        if (unwrittenBytes > 0) {
            spilled.seek(size - unwrittenBytes);
            spilled.write(unwritten, 0, unwrittenBytes);
            unwrittenBytes = 0;
        }
    }

    private void spill() throws IOException {
        file = Files.createTempFile("runner-fleet-trace-", ".log");
        file.toFile().deleteOnExit();
        spilled = new RandomAccessFile(file.toFile(), "rw");
        spilled.write(memory, 0, (int) size);
        memory = null;
        unwritten = new byte[WRITE_BUFFER];
    }

    @Override
    public void close() {
        if (spilled == null) {
            return;
        }
        try {
            spilled.close();
            unwritten = null;
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temp file left behind is removed when the JVM exits
        }
    }
}
