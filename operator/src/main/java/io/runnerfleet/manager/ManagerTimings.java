package io.runnerfleet.manager;

import java.time.Duration;

/**
 * How often the manager looks and how long it waits. Production uses {@link #defaults()}; tests shorten them so
 * that a lease expires in a second rather than fifteen.
 *
 * @param podPoll        how often a job's pod status is re-read from the informer
 * @param leaseDuration  how long a manager's Lease holds without renewal
 * @param leaseRenew     how often the Lease is renewed and peers' Job Pods are checked for adoption
 * @param cleanupWait    how long to wait for a deleted pod to be gone before giving its slot back anyway
 * @param verdictSettle  how long to wait, after the logs ended, for the pod status to say how the job ended
 * @param unhealthyInterval how long a runner asks for no job after too many unhealthy requests in a row
 *                       (gitlab-runner's {@code unhealthy_interval}, {@link RunnerHealth})
 */
public record ManagerTimings(
        Duration podPoll,
        Duration leaseDuration,
        Duration leaseRenew,
        Duration cleanupWait,
        Duration verdictSettle,
        Duration unhealthyInterval) {

    public static ManagerTimings defaults() {
        return new ManagerTimings(
                Duration.ofSeconds(1),
                Duration.ofSeconds(15),
                Duration.ofSeconds(5),
                Duration.ofMinutes(2),
                Duration.ofMinutes(1),
                RunnerHealth.DEFAULT_INTERVAL);
    }
}
