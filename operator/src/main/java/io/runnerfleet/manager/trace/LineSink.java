package io.runnerfleet.manager.trace;

/** Receives a container's log, one line at a time, timestamps stripped. */
@FunctionalInterface
public interface LineSink {
    /**
     * One line of text as UTF-8 bytes, with its trailing {@code \n}; only the last line of a container that ended
     * without a newline comes without one.
     */
    void line(byte[] text);

    /** The same line with the time the kubelet recorded for it, or null when the line carried none. */
    default void line(java.time.Instant timestamp, byte[] text) {
        line(text);
    }
}
