package io.runnerfleet.manager;

/** A job this manager is carrying now, on the jobs pool. */
interface RunningJob {
    /**
     * Hand-over on SIGTERM: stop without reporting or deleting anything; the pod keeps the job and a peer adopts
     * it once this manager's Lease is gone.
     */
    void abandon();
}
