package io.runnerfleet.testing.kubelet;

import io.runnerfleet.manager.trace.KubeletTimestamps;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a kubelet would serve as container logs, in memory: lines stamped by a controllable clock, per
 * namespace/pod/container, and whether each container has started and terminated. Thread-safe.
 *
 * <p>{@link #endStreamsEvery(int)} makes every {@code follow=true} stream end after that many lines that no follow
 * stream had served before for that container (repeats after a {@code sinceTime} resume do not count), as an API server request
 * timeout would: each stream gets further, none reaches the end in one go.
 */
public final class ContainerLogs {
    enum State {
        RUNNING,
        TERMINATED
    }

    record Entry(Instant timestamp, String text, boolean newline) {}

    static final class Container {
        final List<Entry> entries = new ArrayList<>();
        State state = State.RUNNING;
        int highWater;
        /** Entries before this were rotated away: the kubelet no longer serves them. */
        int rotatedBefore;
    }

    /** What one log request gets. */
    // A carrier, never compared or hashed: identity equals() of the array does not matter.
    @SuppressWarnings("ArrayRecordComponent")
    record Served(byte[] body, int lines) {}

    private final Clock clock;
    private final Map<String, Container> containers = new HashMap<>();
    private final List<String> requests = new ArrayList<>();
    private int endEvery;

    public ContainerLogs(Clock clock) {
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * The container runs: its log can be read (empty until lines are appended). Starting a container that had
     * terminated (a pod made again under the same name, a restarted sidecar) begins a new log, as the kubelet does.
     */
    public synchronized void start(String namespace, String pod, String container) {
        Container existing = containers.get(key(namespace, pod, container));
        if (existing == null || existing.state == State.TERMINATED) {
            containers.put(key(namespace, pod, container), new Container());
        }
    }

    /** One line, stamped now; starts the container if needed. */
    public synchronized void append(String namespace, String pod, String container, String line) {
        add(namespace, pod, container, new Entry(clock.instant(), line, true));
    }

    /** Output without a trailing newline (the last thing a container wrote before it exited). */
    public synchronized void appendPartial(String namespace, String pod, String container, String text) {
        add(namespace, pod, container, new Entry(clock.instant(), text, false));
    }

    public synchronized void terminate(String namespace, String pod, String container) {
        containers.computeIfAbsent(key(namespace, pod, container), k -> new Container()).state = State.TERMINATED;
    }

    /**
     * The kubelet rotates the container's log ({@code containerLogMaxSize}): what it wrote so far is no longer served,
     * the next lines go to a new, current file. {@link #text} still has everything (what the build's tee file holds).
     */
    public synchronized void rotate(String namespace, String pod, String container) {
        Container c = containers.get(key(namespace, pod, container));
        c.rotatedBefore = c.entries.size();
    }

    /** Every follow stream ends after {@code lines} new lines; 0 turns it off. */
    public synchronized void endStreamsEvery(int lines) {
        this.endEvery = lines;
    }

    /** Paths (with query) of the log requests served so far. */
    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    /** The text a reader of the whole log sees without timestamps: the reference for "nothing lost, nothing doubled". */
    public synchronized String text(String namespace, String pod, String container) {
        Container c = containers.get(key(namespace, pod, container));
        StringBuilder sb = new StringBuilder();
        if (c != null) {
            for (Entry e : c.entries) {
                sb.append(e.text()).append(e.newline() ? "\n" : "");
            }
        }
        return sb.toString();
    }

    synchronized boolean known(String namespace, String pod, String container) {
        return containers.containsKey(key(namespace, pod, container));
    }

    synchronized boolean terminated(String namespace, String pod, String container) {
        Container c = containers.get(key(namespace, pod, container));
        return c != null && c.state == State.TERMINATED;
    }

    /** Serves one request as the kubelet would at this moment; sinceTime already cut to whole seconds. */
    synchronized Served serve(
            String path,
            String namespace,
            String pod,
            String container,
            boolean follow,
            boolean timestamps,
            Instant sinceTime,
            Integer tailLines) {
        requests.add(path);
        Container c = containers.get(key(namespace, pod, container));
        List<Integer> indexes = new ArrayList<>();
        for (int i = c.rotatedBefore; i < c.entries.size(); i++) {
            if (sinceTime == null || !c.entries.get(i).timestamp().isBefore(sinceTime)) {
                indexes.add(i);
            }
        }
        if (tailLines != null && tailLines >= 0 && indexes.size() > tailLines) {
            indexes = indexes.subList(indexes.size() - tailLines, indexes.size());
        }
        StringBuilder body = new StringBuilder();
        int fresh = 0;
        int served = 0;
        for (int i : indexes) {
            if (follow && endEvery > 0 && fresh == endEvery) {
                break;
            }
            Entry e = c.entries.get(i);
            if (timestamps) {
                body.append(KubeletTimestamps.format(e.timestamp())).append(' ');
            }
            body.append(e.text()).append(e.newline() ? "\n" : "");
            served++;
            if (follow && i >= c.highWater) {
                fresh++;
                c.highWater = i + 1;
            }
        }
        return new Served(body.toString().getBytes(StandardCharsets.UTF_8), served);
    }

    /**
     * What a follow stream that keeps its response open sends next (the kubelet stand-in's streams, which, unlike the
     * mock's, stay open while the container runs): {@code from} &lt; 0 starts a request ({@code sinceTime} cut to whole
     * seconds and {@code tailLines} applied), else the entries from index {@code from} on. {@code ended}: the container
     * had terminated, so nothing follows {@code next}.
     */
    // A carrier, never compared or hashed: identity equals() of the array does not matter.
    @SuppressWarnings("ArrayRecordComponent")
    record Page(byte[] body, int next, boolean ended) {}

    synchronized Page page(
            String namespace,
            String pod,
            String container,
            boolean timestamps,
            Instant sinceTime,
            Integer tailLines,
            int from) {
        Container c = containers.get(key(namespace, pod, container));
        int start = Math.max(from, c.rotatedBefore);
        if (from < 0) {
            while (sinceTime != null
                    && start < c.entries.size()
                    && c.entries.get(start).timestamp().isBefore(sinceTime)) {
                start++;
            }
            if (tailLines != null && tailLines >= 0) {
                start = Math.max(start, c.entries.size() - tailLines);
            }
        }
        StringBuilder body = new StringBuilder();
        for (int i = start; i < c.entries.size(); i++) {
            Entry e = c.entries.get(i);
            if (timestamps) {
                body.append(KubeletTimestamps.format(e.timestamp())).append(' ');
            }
            body.append(e.text()).append(e.newline() ? "\n" : "");
        }
        return new Page(
                body.toString().getBytes(StandardCharsets.UTF_8),
                Math.max(start, c.entries.size()),
                c.state == State.TERMINATED);
    }

    private void add(String namespace, String pod, String container, Entry entry) {
        Container c = containers.computeIfAbsent(key(namespace, pod, container), k -> new Container());
        if (c.state == State.TERMINATED) {
            throw new IllegalStateException(container + " has terminated");
        }
        c.entries.add(entry);
    }

    private static String key(String namespace, String pod, String container) {
        return namespace + "/" + pod + "/" + container;
    }
}
