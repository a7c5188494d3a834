package io.runnerfleet.manager.trace;

/** The {@link LogFileReader} of one Job Pod. */
@FunctionalInterface
public interface LogFiles {
    LogFileReader of(String namespace, String pod);
}
