package io.runnerfleet.manager.trace;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads a container's copy one chunk ahead, on its own thread, while the follower masks and forwards the chunk
 * before it: each read is a round trip ({@code pods/exec} into the helper, {@link KubernetesLogFiles}) that the
 * follower otherwise waited for with the CPU idle, and masking waited for the read (bench/README.md, issue #16). At
 * most one read is ahead, so at most two chunks are held: the one being forwarded and the next. Reads stay in order
 * and one at a time, as without it; the thread starts with the first read ahead, so a copy of less than one chunk
 * never starts it.
 */
final class LogFileReadAhead implements AutoCloseable {
    private final LogFileReader files;
    private final String container;
    private ExecutorService thread;
    private Future<LogFileReader.Chunk> next;
    private long nextOffset;

    LogFileReadAhead(LogFileReader files, String container) {
        this.files = files;
        this.container = container;
    }

    /** Starts reading the chunk at {@code offset}; a read ahead not taken yet is dropped. */
    void start(long offset) {
        drop();
        if (thread == null) {
            thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "log-copy-read-ahead-" + container);
                t.setDaemon(true);
                return t;
            });
        }
        nextOffset = offset;
        next = thread.submit(() -> files.read(container, offset));
    }

    /**
     * The chunk read ahead at {@code offset}, waiting for it, with what its read threw; null when no read at that
     * offset was started.
     */
    LogFileReader.Chunk take(long offset) throws LogFileReader.Unavailable, LogStreamException {
        if (next == null || nextOffset != offset) {
            drop();
            return null;
        }
        Future<LogFileReader.Chunk> read = next;
        next = null;
        try {
            return read.get();
        } catch (InterruptedException e) {
            read.cancel(true);
            Thread.currentThread().interrupt();
            throw new LogStreamException(0, "interrupted waiting for the read at byte " + offset, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LogFileReader.Unavailable unavailable) {
                throw unavailable;
            }
            if (cause instanceof LogStreamException failed) {
                throw failed;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("reading the copy at byte " + offset, cause);
        }
    }

    private void drop() {
        if (next != null) {
            next.cancel(true);
            next = null;
        }
    }

    /** Drops a read still ahead and ends the thread. */
    @Override
    public void close() {
        drop();
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
