package io.runnerfleet.testing.kubelet;

import io.runnerfleet.manager.trace.LogFileReader;
import io.runnerfleet.manager.trace.LogFiles;
import io.runnerfleet.manager.trace.LogStreamException;
import io.runnerfleet.manager.trace.TraceContainer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The build's log file as the simulated kubelet's Job Pods would hold it: every byte the build container printed,
 * rotated or not ({@link ContainerLogs#text}), read at offsets as {@code KubernetesLogFiles} reads it through
 * {@code pods/exec} in the {@code helper} container. Counts the reads, so a test can tell the gap path from the
 * normal one.
 *
 * <p>As on a real kubelet, an exec into a helper that has terminated fails, so a reader that is behind when the
 * helper exits loses the rest. The helper's script therefore waits, once the build has ended, while a reader has
 * announced itself and has not read to the end ({@code jobpod.HelperScript}); {@link #helperMayExit} is that wait,
 * for scenarios to call before they terminate the helper. A read reports the file complete once the build container
 * has terminated (the wrapper writes its exit code, and so ends, only after {@code tee} drained).
 */
public final class SimulatedLogFiles implements LogFiles {
    private final ContainerLogs logs;
    private final int chunkBytes;
    private final AtomicInteger reads = new AtomicInteger();
    private final Set<String> readers = new HashSet<>();
    private final Set<String> readToTheEnd = new HashSet<>();

    public SimulatedLogFiles(ContainerLogs logs, int chunkBytes) {
        this.logs = logs;
        this.chunkBytes = chunkBytes;
    }

    /** Reads of any pod's file so far. */
    public int reads() {
        return reads.get();
    }

    /**
     * The end of the helper's script: returns at once when no reader announced itself, else once one read the file to
     * its end, or after {@code max} (the script's bound). True when a reader had read it all.
     */
    public synchronized boolean helperMayExit(String namespace, String pod, Duration max) throws InterruptedException {
        String key = namespace + "/" + pod;
        long deadline = System.nanoTime() + max.toNanos();
        while (readers.contains(key) && !readToTheEnd.contains(key)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return readToTheEnd.contains(key);
    }

    /** Waits until a reader of the pod's file announced itself (its first read); false after {@code max}. */
    public synchronized boolean awaitReader(String namespace, String pod, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!readers.contains(namespace + "/" + pod)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    @Override
    public LogFileReader of(String namespace, String pod) {
        String key = namespace + "/" + pod;
        return new LogFileReader() {
            @Override
            public Chunk read(String container, long offset) throws Unavailable, LogStreamException {
                if (!keepsFile(container)) {
                    throw new Unavailable(container + " keeps no log file", null);
                }
                if (logs.terminated(namespace, pod, "helper")) {
                    // The API server's answer to an exec into a container that is no longer running.
                    throw new LogStreamException(400, "container helper is not running", null);
                }
                reads.incrementAndGet();
                boolean ended = logs.terminated(namespace, pod, container);
                byte[] all = logs.text(namespace, pod, container).getBytes(StandardCharsets.UTF_8);
                int from = (int) Math.min(offset, all.length);
                byte[] bytes = Arrays.copyOfRange(all, from, Math.min(all.length, from + chunkBytes));
                announce(key, ended && bytes.length == 0);
                return new Chunk(bytes, ended);
            }

            @Override
            public int chunkBytes() {
                return chunkBytes;
            }

            @Override
            public boolean keepsFile(String container) {
                return TraceContainer.BUILD.equals(container);
            }
        };
    }

    private synchronized void announce(String key, boolean atTheEnd) {
        readers.add(key);
        if (atTheEnd) {
            readToTheEnd.add(key);
        }
        notifyAll();
    }
}
