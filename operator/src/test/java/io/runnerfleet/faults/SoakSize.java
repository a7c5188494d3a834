package io.runnerfleet.faults;

import java.time.Duration;

/**
 * How big the soak ({@link Soak}) runs.
 *
 * @param jobs        quick jobs enqueued at the start
 * @param managers    manager processes of the one fleet; all but the last are killed in turn, the last never is (its
 *                    heap and RSS over the whole run say whether a manager's memory stays flat)
 * @param concurrent  each manager's {@code concurrent}
 * @param killEvery   how long after the first finished job, and then after each kill, the next manager is killed
 * @param maxKills    kills at most (0: until every job is done)
 * @param sampleEvery how often the managers' memory is read (a full GC of the survivor each time, through jcmd)
 * @param deadline    how long the run may take before its unfinished jobs count as lost
 * @param api         the API server the managers talk to ({@link SoakApi})
 */
public record SoakSize(
        int jobs,
        int managers,
        int concurrent,
        Duration killEvery,
        int maxKills,
        Duration sampleEvery,
        Duration deadline,
        SoakApi api) {

    /** Issue #18: 10,000 quick jobs, 3 managers, one killed every 30 s. */
    public static SoakSize full() {
        return new SoakSize(
                10_000,
                3,
                20,
                Duration.ofSeconds(30),
                0,
                Duration.ofSeconds(15),
                Duration.ofMinutes(150),
                SoakApi.REAL);
    }

    /** This size with {@code count} jobs (faults/run soak --soak-jobs=N: a shorter run of the full soak). */
    public SoakSize withJobs(int count) {
        return new SoakSize(count, managers, concurrent, killEvery, maxKills, sampleEvery, deadline, api);
    }

    /** This size on {@code value} (faults/run soak --soak-api=mock). */
    public SoakSize withApi(SoakApi value) {
        return new SoakSize(jobs, managers, concurrent, killEvery, maxKills, sampleEvery, deadline, value);
    }

    /** About 50 jobs and one kill: the path of every kill (SIGKILL, restart, the peers adopt), in a minute or two. */
    public static SoakSize tiny() {
        return new SoakSize(
                50, 3, 5, Duration.ofSeconds(3), 1, Duration.ofSeconds(5), Duration.ofMinutes(4), SoakApi.REAL);
    }
}
