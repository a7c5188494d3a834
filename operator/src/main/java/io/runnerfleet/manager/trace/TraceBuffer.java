package io.runnerfleet.manager.trace;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * An append-only, in-memory trace: the writer appends, the uploader reads ranges from any offset and sends GitLab
 * {@code output.checksum} ("crc32:%08x", IEEE, as gitlab-runner) and {@code output.bytesize} at the end. Thread-safe.
 */
public final class TraceBuffer implements TraceSink {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CRC32 crc = new CRC32();

    @Override
    public synchronized void append(byte[] data) {
        bytes.write(data, 0, data.length);
        crc.update(data, 0, data.length);
    }

    public synchronized long size() {
        return bytes.size();
    }

    /** Up to {@code max} bytes from {@code offset} (empty at or past the end). */
    public synchronized byte[] read(long offset, int max) {
        int size = bytes.size();
        if (offset >= size) {
            return new byte[0];
        }
        int from = (int) offset;
        int to = (int) Math.min(size, (long) from + max);
        return Arrays.copyOfRange(bytes.toByteArray(), from, to);
    }

    public synchronized byte[] toByteArray() {
        return bytes.toByteArray();
    }

    /** {@code crc32:%08x} of everything appended, the form gitlab-runner sends. */
    public synchronized String checksum() {
        return String.format("crc32:%08x", crc.getValue());
    }
}
