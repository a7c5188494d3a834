package io.runnerfleet.manager.trace;

import java.io.InputStream;
import java.time.Instant;

/**
 * Opens one container's log as {@code follow=true&timestamps=true}: every line is
 * {@code <RFC3339Nano timestamp> <text>\n}.
 */
@FunctionalInterface
public interface LogStreamOpener {
    /**
     * @param sinceTime null for the whole log, else the log from this instant on (the API server honours whole
     *                  seconds only, so callers pass whole seconds and expect lines they have already seen)
     * @throws LogStreamException when the server refuses (e.g. 400 while the container is waiting, 404)
     */
    InputStream open(String container, Instant sinceTime) throws LogStreamException;
}
