package io.runnerfleet.manager.trace;

/** Where the finished trace bytes go, in order, exactly once. */
@FunctionalInterface
public interface TraceSink {
    void append(byte[] bytes);
}
