package io.runnerfleet.faults;

/**
 * What the jobs-under-API-faults scenario found ({@link KubeJobFaults}).
 *
 * @param started     jobs that got a Job Pod
 * @param finished    jobs GitLab holds a final state for (success or failed)
 * @param lost        jobs GitLab got no final {@code success} for, or that never got a Job Pod (goal 0)
 * @param twice       jobs with more than one final status taken by GitLab, or more than one Job Pod (goal 0)
 * @param incomplete  jobs with a Job Pod whose trace lacks a {@code tick-i}, has one twice or out of order, or does
 *                    not end with {@code Job succeeded} (goal 0)
 * @param orphaned    Job Pods and job Secrets of the fleet left after every job ended, the managers had the normal
 *                    cleanup time and were stopped (goal 0)
 * @param allDone     seconds from the managers' start until no job was pending or running (or the deadline)
 * @param afterOutage seconds from the outage's end until then
 */
record KubeJobsResult(
        int started,
        int finished,
        int lost,
        int twice,
        int incomplete,
        int orphaned,
        double allDone,
        double afterOutage,
        int injectedErrors,
        int injectedConflicts,
        int delayed,
        int watchesEnded,
        int refused) {}
