package io.runnerfleet.manager;

import java.time.Duration;
import java.time.Instant;

/**
 * gitlab-runner's health of one runner worker ({@code commands/health_helper.go}): every unhealthy job request
 * (403, a connection error, a timeout) counts; at {@code unhealthy_requests_limit} in a row the runner asks no more
 * until {@code unhealthy_interval} has passed since it was last healthy, then tries again with a clean count. A
 * healthy answer clears the count. Pure: the caller gives the time. Not thread-safe; one poller owns it.
 */
final class RunnerHealth {
    /** gitlab-runner's {@code DefaultUnhealthyInterval} ({@code common/consts.go}). */
    static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(60);

    private final int limit;
    private final Duration interval;
    private int failures;
    private Instant lastCheck;

    RunnerHealth(int limit, Duration interval, Instant now) {
        this.limit = limit;
        this.interval = interval;
        this.lastCheck = now;
    }

    /** Whether to ask for a job now; past the interval it starts over (and says so once). */
    boolean mayRequest(Instant now) {
        if (failures < limit) {
            return true;
        }
        if (Duration.between(lastCheck, now).compareTo(interval) > 0) {
            failures = 0;
            lastCheck = now;
            return true;
        }
        return false;
    }

    /** Records a request's health; true when this failure just disabled the runner. */
    boolean mark(boolean healthy, Instant now) {
        if (healthy) {
            failures = 0;
            lastCheck = now;
            return false;
        }
        failures++;
        return failures == limit;
    }

    int failures() {
        return failures;
    }

    /** While disabled: when it asks again (gitlab-runner: {@code unhealthy_interval} after the last healthy check). */
    Instant disabledUntil() {
        return lastCheck.plus(interval);
    }
}
