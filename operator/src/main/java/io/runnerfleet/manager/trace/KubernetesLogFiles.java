package io.runnerfleet.manager.trace;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the build's log file through {@code pods/exec} in the Job Pod's {@code helper} container, which mounts the
 * same {@code /builds} and runs as long as the build does: {@code tail -c +<offset+1> <file> | head -c <chunk>}, after
 * a first line {@code ended} when the build had ended when the read began (its exit-code file existed, which the
 * wrapper writes only once {@code tee} drained), so the file was complete, else {@code running}. Exit status 3 says the image could not tee (the build wrote the
 * "unavailable" marker instead); 4 that there is neither file nor marker (a failed read: the follower retries a few
 * times, then follows the kubelet's log alone).
 *
 * <p>An exec needs a running helper, and the helper ends soon after the build. So every read appends its offset to
 * {@code <file>.reader}, and a read at the end of a complete file creates {@code <file>.read}: the helper's script,
 * at its end, waits while a reader has announced itself and has not read to the end, for as long as reads keep coming
 * ({@code jobpod.HelperScript}). Without that wait, a reader that was a poll behind when the build ended lost the
 * build's last lines (the real cluster's adoption scenarios did). gitlab-runner keeps its helper running until it has
 * read the log the same way: its runner, not the pod, ends the pod ({@code executors/kubernetes/log_processor.go}
 * follows {@code gitlab-runner-helper read-logs}, {@code commands/helpers/read_logs.go}).
 *
 * <p>The follower uses it for adoption, for a follow stream that resumed without proof of continuity, and for every
 * build past its first {@code ContainerLogFollower.READ_FROM_COPY_AFTER_BYTES}: a shorter build whose log the kubelet
 * served whole never execs, and its helper never waits.
 */
public final class KubernetesLogFiles implements LogFileReader {
    /** One exec's worth: large enough that a 50 MB gap takes a dozen execs, small enough to hold in memory. */
    public static final int CHUNK_BYTES = 4 * 1024 * 1024;

    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(60);
    /**
     * The first line of a read's output: whether the build had ended when it began. In band, on stdout, because
     * fabric8's exec closes the output stream unread when the command exits non-zero (the real cluster's reads with
     * an exit status for this failed with "closed" and lost the end of the file).
     */
    static final String ENDED = "ended";

    static final String RUNNING = "running";
    private static final int NO_FILE = 3;
    /** Neither the file nor the marker: the wrapper has not started yet, or the pod predates the file. */
    private static final int NOT_THERE = 4;

    private static final String READER_CONTAINER = "helper";
    /**
     * What each read runs in the helper (public for the test that runs it against the helper's script under sh):
     * $1 the file, $2 the offset, $3 the most bytes to send, $4 the build's exit-code file. The markers are written
     * before the read, and {@code .read} only when the offset already is the complete file's end, so the helper never
     * leaves while bytes are on their way. A marker that cannot be written costs only the wait.
     */
    public static final String SCRIPT = "f=\"$1\"; from=$(($2 + 1))\n"
            + "if [ -f \"$f\" ]; then\n"
            + "  printf '%s\\n' \"$2\" 2>/dev/null >> \"$f.reader\"\n"
            + "  if [ -e \"$4\" ]; then\n"
            + "    size=$(wc -c < \"$f\")\n"
            + "    if [ \"$2\" -ge $size ]; then : 2>/dev/null > \"$f.read\"; fi\n"
            + "    printf '" + ENDED + "\\n'; tail -c +\"$from\" \"$f\" | head -c \"$3\"; exit 0\n"
            + "  fi\n"
            + "  printf '" + RUNNING + "\\n'; tail -c +\"$from\" \"$f\" | head -c \"$3\"; exit 0\n"
            + "fi\n"
            + "if [ -e \"$f.unavailable\" ]; then exit " + NO_FILE + "; fi\n"
            + "exit " + NOT_THERE + "\n";

    private final KubernetesClient client;
    private final String namespace;
    private final String pod;
    private final String container;
    private final String path;
    private final String exitFile;

    /**
     * Reads {@code path} for {@code container} (the build) in {@code pod}; {@code exitFile} exists once the build has
     * ended and the file is complete.
     */
    public KubernetesLogFiles(
            KubernetesClient client, String namespace, String pod, String container, String path, String exitFile) {
        this.client = client;
        this.namespace = namespace;
        this.pod = pod;
        this.container = container;
        this.path = path;
        this.exitFile = exitFile;
    }

    @Override
    public boolean keepsFile(String name) {
        return container.equals(name);
    }

    @Override
    public int chunkBytes() {
        return CHUNK_BYTES;
    }

    @Override
    public Chunk read(String name, long offset) throws Unavailable, LogStreamException {
        if (!keepsFile(name)) {
            throw new Unavailable(name + " keeps no log file", null);
        }
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        try (ExecWatch watch = client.pods()
                .inNamespace(namespace)
                .withName(pod)
                .inContainer(READER_CONTAINER)
                .redirectingOutput()
                .writingError(errors)
                .exec(
                        "sh",
                        "-c",
                        SCRIPT,
                        "read-log",
                        path,
                        Long.toString(offset),
                        Integer.toString(CHUNK_BYTES),
                        exitFile)) {
            byte[] bytes;
            IOException broken = null;
            try {
                bytes = readAll(watch.getOutput());
            } catch (IOException e) {
                bytes = new byte[0];
                broken = e;
            }
            int status = watch.exitCode().get(EXEC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (status == NO_FILE) {
                throw new Unavailable("the build's image could not tee its output (no tee or mkfifo)", null);
            }
            if (status == 0 && broken != null) {
                throw broken;
            }
            if (status == 0) {
                return chunk(bytes, offset);
            }
            throw new LogStreamException(
                    0,
                    "reading " + path + " at " + offset + " exited " + status + ": "
                            + errors.toString(StandardCharsets.UTF_8).strip(),
                    null);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                throw new Unavailable("not allowed to exec into " + pod + " (pods/exec)", e);
            }
            throw new LogStreamException(e.getCode(), "cannot exec into " + pod + ": " + e.getMessage(), e);
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new LogStreamException(0, "reading " + path + " in " + pod + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogStreamException(0, "interrupted reading " + path, e);
        }
    }

    /** Splits the header line off a read's output. */
    private Chunk chunk(byte[] output, long offset) throws LogStreamException {
        for (String header : new String[] {ENDED, RUNNING}) {
            byte[] line = (header + "\n").getBytes(StandardCharsets.US_ASCII);
            if (output.length >= line.length && Arrays.equals(Arrays.copyOfRange(output, 0, line.length), line)) {
                return new Chunk(Arrays.copyOfRange(output, line.length, output.length), header.equals(ENDED));
            }
        }
        throw new LogStreamException(0, "reading " + path + " at " + offset + ": the output has no header", null);
    }

    @Override
    public String toString() {
        return namespace + "/" + pod + ":" + path;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        if (in == null) {
            return new byte[0];
        }
        return in.readNBytes(CHUNK_BYTES + 64);
    }
}
