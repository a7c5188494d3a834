package io.runnerfleet.faults;

import java.time.Duration;

/**
 * How big the jobs-under-API-faults scenario ({@link KubeJobFaults}) runs.
 *
 * @param jobs          quick jobs enqueued at the start
 * @param ticks         lines each job prints, one a second (its build lasts about that many seconds)
 * @param managers      runner managers of the one fleet, each with its own client through the fault proxy
 * @param concurrent    each manager's {@code concurrent}
 * @param runningBefore builds that must have printed their first line before the outage starts
 * @param outage        how long the proxy refuses every call
 * @param deadline      how long the jobs may take before the unfinished ones count as lost
 */
public record KubeJobsSize(
        int jobs, int ticks, int managers, int concurrent, int runningBefore, Duration outage, Duration deadline) {

    /**
     * Issue #18's faults with ~20 quick jobs on 2 managers x 5, a 30 s outage: longer than a manager's Lease (15 s),
     * so every Lease has expired when the API server comes back, and the managers must not take each other's jobs.
     */
    public static KubeJobsSize full() {
        return new KubeJobsSize(20, 5, 2, 5, 3, Duration.ofSeconds(30), Duration.ofMinutes(10));
    }

    /** 6 jobs and a 5 s outage: every path of the full run but the expired Leases. */
    public static KubeJobsSize tiny() {
        return new KubeJobsSize(6, 5, 2, 4, 2, Duration.ofSeconds(5), Duration.ofMinutes(6));
    }
}
