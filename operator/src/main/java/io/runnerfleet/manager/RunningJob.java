package io.runnerfleet.manager;

import org.slf4j.Logger;
import org.slf4j.MDC;

/** A job this manager is carrying now, on the jobs pool. */
interface RunningJob {
    /**
     * Hand-over on SIGTERM: stop without reporting or deleting anything; the pod keeps the job and a peer adopts
     * it once this manager's Lease is gone.
     */
    void abandon();

    /**
     * Runs {@code body} as this job's work on the pool: counted as running (so shutdown waits for it), with the job
     * id in the log context, and its slot given back however it ends. An unexpected error is logged and counted,
     * never thrown into the pool.
     */
    static void carry(JobEnvironment env, long jobId, RunningJob job, JobSlots.Slot slot, Logger log, Runnable body) {
        MDC.put("job", Long.toString(jobId));
        env.running().started(jobId, job);
        try {
            body.run();
        } catch (RuntimeException e) {
            env.metrics().error("error");
            log.error("job={} failed in the manager: {}", jobId, e.toString());
        } finally {
            env.running().finished(jobId);
            slot.close();
            MDC.remove("job");
        }
    }
}
