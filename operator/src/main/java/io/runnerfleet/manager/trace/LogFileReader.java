package io.runnerfleet.manager.trace;

/**
 * Reads the copy of a container's output that the Job Pod keeps in a file (the build's {@code tee}, see
 * jobpod.BuildScript), at a byte offset. The kubelet serves only a container's current log file, so this copy is
 * where a follower finds what was rotated away before it read it ({@link ContainerLogFollower}).
 *
 * <p>As gitlab-runner reads its build log in the pod at offsets ({@code executors/kubernetes/log_processor.go},
 * {@code kubernetesLogStreamer.Stream} running {@code gitlab-runner-helper read-logs --offset};
 * {@code commands/helpers/read_logs.go}), but one bounded read per call instead of one endless stream, so the
 * follower decides when the file is complete from the container's state.
 */
public interface LogFileReader {
    /**
     * The file's bytes from {@code offset} on, at most {@link #chunkBytes()} of them; empty when there is nothing
     * there yet (or the file does not exist yet).
     *
     * @throws Unavailable        the container keeps no such file (its image cannot tee), or it cannot be read at all
     * @throws LogStreamException a read that failed this time (the pod's helper busy, an API server hiccup, the
     *                            helper gone)
     */
    Chunk read(String container, long offset) throws Unavailable, LogStreamException;

    /**
     * What one read brought.
     *
     * @param bytes the file's bytes from the offset asked for
     * @param ended the container had ended its output when the read began (the build's exit code existed, which the
     *              wrapper writes only once {@code tee} has drained): the file was complete, so a read that brings
     *              fewer than {@link #chunkBytes()} bytes reached its end. An empty read with {@code ended} also tells
     *              the pod that this reader has everything (the helper, which it execs into, may then exit)
     */
    // A carrier, never compared or hashed: identity equals() of the array does not matter.
    @SuppressWarnings("ArrayRecordComponent")
    record Chunk(byte[] bytes, boolean ended) {}

    /** The most one {@link #read} returns; a read that returns this many may have left more. */
    int chunkBytes();

    /** Which containers keep such a file. */
    boolean keepsFile(String container);

    /** The container keeps no file to read, or reading it is not allowed: follow the kubelet's log alone. */
    final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
