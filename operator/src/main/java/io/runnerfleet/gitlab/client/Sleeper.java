package io.runnerfleet.gitlab.client;

import java.time.Duration;

/** Waits; tests substitute one that does not really wait. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = duration -> {
        long millis = duration.toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    };

    void sleep(Duration duration) throws InterruptedException;
}
