package io.runnerfleet.faults;

import java.time.Duration;

/**
 * How big each fault scenario runs. {@link #full()} is what {@code faults/run} uses (issue #18's sizes); {@link #tiny()}
 * keeps the scenarios' logic exercised in {@code ./mvnw verify}.
 *
 * @param gitlabJobs       quick jobs run through one manager, once against a fault-free GitLab and once against a
 *                         faulty one
 * @param gitlabConcurrent the manager's {@code concurrent}
 * @param gitlabFaultRate  fraction of the runner API calls answered badly
 * @param gitlabStall      how long a stalled call is held before GitLab answers it
 * @param gitlabDeadline   how long a run may take before its unfinished jobs count as lost
 * @param kubeFleets       fleets created while the operator's API calls go through the fault proxy
 * @param kubeNamespaces   namespaces they are spread over
 * @param kubeOutage       how long the proxy refuses every call
 * @param kubeDeadline     how long the fleets may take to converge, under faults and after the outage, each
 * @param soak             the soak's size ({@link Soak})
 * @param kubeJobs         the size of the jobs run behind the Kubernetes fault proxy ({@link KubeJobFaults})
 */
public record FaultSize(
        int gitlabJobs,
        int gitlabConcurrent,
        double gitlabFaultRate,
        Duration gitlabStall,
        Duration gitlabDeadline,
        int kubeFleets,
        int kubeNamespaces,
        Duration kubeOutage,
        Duration kubeDeadline,
        SoakSize soak,
        KubeJobsSize kubeJobs) {

    public static FaultSize full() {
        return new FaultSize(
                500,
                50,
                0.2,
                Duration.ofSeconds(10),
                Duration.ofMinutes(20),
                100,
                5,
                Duration.ofSeconds(30),
                Duration.ofMinutes(5),
                SoakSize.full(),
                KubeJobsSize.full());
    }

    public FaultSize withSoak(SoakSize value) {
        return new FaultSize(
                gitlabJobs,
                gitlabConcurrent,
                gitlabFaultRate,
                gitlabStall,
                gitlabDeadline,
                kubeFleets,
                kubeNamespaces,
                kubeOutage,
                kubeDeadline,
                value,
                kubeJobs);
    }

    /**
     * Stalls of 2 s instead of 10 (the same path in the client: answered before its 30 s timeout) and an outage of
     * 3 s instead of 30 (the same path in the operator: its calls and watches fail until it ends): a shorter test.
     */
    public static FaultSize tiny() {
        return new FaultSize(
                10,
                5,
                0.2,
                Duration.ofSeconds(2),
                Duration.ofMinutes(4),
                3,
                1,
                Duration.ofSeconds(3),
                Duration.ofMinutes(3),
                SoakSize.tiny(),
                KubeJobsSize.tiny());
    }
}
