package io.runnerfleet.manager;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.runnerfleet.config.ManagerConfig;
import io.runnerfleet.testing.gitlab.TestGitLab;

/**
 * What a run of manager processes needs around it (the soak, {@code faults/Soak}): the test GitLab, an API server
 * whose Job Pods the simulated kubelet plays, and one fleet's config. {@link BenchStand} is it on fabric8's mock API
 * server, {@link RealApiStand} on the real kube-apiserver with the kubelet stand-in.
 */
public interface JobStand extends AutoCloseable {
    TestGitLab gitlab();

    /** A client of the API server for the test's own reads (its requests are not the managers'). */
    KubernetesClient client();

    /** The fleet's namespace: the managers' and their Job Pods'. */
    String namespace();

    /** The fleet "shop" with the given {@code concurrent}, {@code check_interval} and output limit. */
    ManagerConfig config(int concurrent, int checkIntervalSeconds, int outputLimitKib);

    /** Every Job Pod plays a quick successful job (clone, a few build lines, upload). */
    void quickJobs();

    /** Requests the API server got from clients with this User-Agent. */
    long requestsBy(String userAgent);

    /** Whether GitLab still has the job pending or running. */
    default boolean unfinished(long jobId) {
        TestGitLab.State s = gitlab().state(jobId);
        return s == TestGitLab.State.PENDING || s == TestGitLab.State.RUNNING || s == TestGitLab.State.CANCELING;
    }

    @Override
    void close();
}
