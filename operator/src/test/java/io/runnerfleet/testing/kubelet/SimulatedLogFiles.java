package io.runnerfleet.testing.kubelet;

import io.runnerfleet.manager.trace.LogFileReader;
import io.runnerfleet.manager.trace.LogFiles;
import io.runnerfleet.manager.trace.TraceContainer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The build's log file as the simulated kubelet's Job Pods would hold it: every byte the build container printed,
 * rotated or not ({@link ContainerLogs#text}), read at offsets as {@code KubernetesLogFiles} reads it through
 * {@code pods/exec}. Counts the reads, so a test can tell the gap path from the normal one.
 */
public final class SimulatedLogFiles implements LogFiles {
    private final ContainerLogs logs;
    private final int chunkBytes;
    private final AtomicInteger reads = new AtomicInteger();

    public SimulatedLogFiles(ContainerLogs logs, int chunkBytes) {
        this.logs = logs;
        this.chunkBytes = chunkBytes;
    }

    /** Reads of any pod's file so far. */
    public int reads() {
        return reads.get();
    }

    @Override
    public LogFileReader of(String namespace, String pod) {
        return new LogFileReader() {
            @Override
            public byte[] read(String container, long offset) throws Unavailable {
                if (!keepsFile(container)) {
                    throw new Unavailable(container + " keeps no log file", null);
                }
                reads.incrementAndGet();
                byte[] all = logs.text(namespace, pod, container).getBytes(StandardCharsets.UTF_8);
                int from = (int) Math.min(offset, all.length);
                return Arrays.copyOfRange(all, from, Math.min(all.length, from + chunkBytes));
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
}
