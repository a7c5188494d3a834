package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runnerfleet.config.RunnerEntry;
import io.runnerfleet.gitlab.client.GitLabClient;
import io.runnerfleet.gitlab.client.TraceUploader;
import io.runnerfleet.jobpod.JobPodContext;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * What every job of one runner entry shares: the clients, the runner's settings, where Job Pods go, and the
 * manager's own bookkeeping.
 *
 * @param podLookup the informer's view of a Job Pod by name (null when it is gone)
 */
public record JobEnvironment(
        KubernetesClient kubernetes,
        JobPods pods,
        Function<String, Pod> podLookup,
        GitLabClient gitlab,
        RunnerEntry runner,
        JobPodContext podContext,
        ManagerIdentity identity,
        ManagerMetrics metrics,
        RunningJobs running,
        ScheduledExecutorService scheduler,
        TraceUploader.Options uploaderOptions,
        ManagerTimings timings,
        Clock clock,
        String version) {
}
