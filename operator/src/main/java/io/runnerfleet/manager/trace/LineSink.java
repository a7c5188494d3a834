package io.runnerfleet.manager.trace;

import java.util.Arrays;

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

    /**
     * Whole lines at once, {@code text[from, to)}: each ends with its {@code \n} (so the range is empty or ends with
     * one), none carries a kubelet timestamp (they come from a container's copy of its output, {@link
     * LogFileFollowing}). The array is the caller's and is reused after this returns. By default each line goes to
     * {@link #line(java.time.Instant, byte[])} in its own array; {@link TraceWriter}'s sink takes the run whole, as a
     * copy of each line was a cost of every line of the log path (bench/README.md, issue #16).
     */
    default void lines(byte[] text, int from, int to) {
        int start = from;
        while (start < to) {
            int newline = ByteScan.indexOf(text, (byte) '\n', start, to);
            int end = newline < 0 ? to : newline + 1;
            line(null, Arrays.copyOfRange(text, start, end));
            start = end;
        }
    }
}
