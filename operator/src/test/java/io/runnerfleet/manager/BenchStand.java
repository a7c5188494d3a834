package io.runnerfleet.manager;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.runnerfleet.config.ManagerConfig;
import io.runnerfleet.config.RunnerEntry;
import io.runnerfleet.testing.gitlab.FaultPlan;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.kubelet.KubeletMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A public face of the package-private {@link ManagerHarness} for the benchmarks in {@code io.runnerfleet.bench}:
 * the test GitLab, the mock API server with the simulated kubelet, and managers started with the options the
 * benchmark chooses (production ones, unlike the harness's short test timings).
 */
public final class BenchStand implements JobStand {
    public static final String NAMESPACE = ManagerHarness.NAMESPACE;

    private final ManagerHarness harness;
    private final List<RunnerManager> managers = new ArrayList<>();

    /** A test GitLab holding {@code jobs/request} up to {@code longPoll} (zero: long polling off). */
    public BenchStand(Duration longPoll) {
        this(longPoll, FaultPlan.NONE);
    }

    /** As {@link #BenchStand(Duration)}, with a GitLab that answers badly as {@code faults} says. */
    public BenchStand(Duration longPoll, FaultPlan faults) {
        harness = new ManagerHarness(b -> b.longPoll(longPoll).faults(faults));
    }

    @Override
    public TestGitLab gitlab() {
        return harness.gitlab;
    }

    public KubeletMockServer kube() {
        return harness.kube;
    }

    @Override
    public KubernetesClient client() {
        return harness.client();
    }

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    /** The mock API server counts the requests it answered itself. */
    @Override
    public long requestsBy(String userAgent) {
        return harness.kube.requests().stream()
                .filter(r -> userAgent.equals(r.userAgent()))
                .count();
    }

    /** The harness's fleet "shop" in "ci", with the given {@code concurrent}, {@code check_interval} and output limit. */
    @Override
    public ManagerConfig config(int concurrent, int checkIntervalSeconds, int outputLimitKib) {
        ManagerConfig base = harness.config(concurrent, 30, outputLimitKib);
        return new ManagerConfig(concurrent, checkIntervalSeconds, ":0", 3, base.runners());
    }

    /** As {@link #config(int, int, int)}, with {@code request_concurrency} job requests in flight at once. */
    public ManagerConfig config(int concurrent, int checkIntervalSeconds, int outputLimitKib, int requestConcurrency) {
        ManagerConfig base = config(concurrent, checkIntervalSeconds, outputLimitKib);
        RunnerEntry r = base.runners().get(0);
        RunnerEntry runner = new RunnerEntry(
                r.name(),
                r.url(),
                r.executor(),
                r.limit(),
                requestConcurrency,
                r.outputLimitKib(),
                r.environment(),
                r.kubernetes(),
                r.fleet(),
                r.unhealthy(),
                r.featureFlags(),
                r.sources(),
                r.tls(),
                r.cache(),
                r.tokenRotation());
        return new ManagerConfig(concurrent, checkIntervalSeconds, ":0", 3, List.of(runner));
    }

    /** Production {@link ManagerOptions#defaults()}, but /metrics on a free loopback port. */
    public static ManagerOptions productionOptions() {
        ManagerOptions d = ManagerOptions.defaults();
        return new ManagerOptions(d.timings(), d.uploader(), d.gitlab(), "127.0.0.1:0", d.clock(), null);
    }

    public RunnerManager startManager(String podName, ManagerConfig config, ManagerOptions options) {
        RunnerManager manager = new RunnerManager(
                config,
                RunnerToken.of(TestGitLab.RUNNER_TOKEN),
                new ManagerIdentity(podName, NAMESPACE, ManagerIdentity.systemIdFor(podName)),
                client(),
                options);
        manager.start();
        managers.add(manager);
        return manager;
    }

    @Override
    public void quickJobs() {
        harness.kubelet.defaultScenario(Scenarios.success());
    }

    /** Every Job Pod runs its build until {@code release} opens, mid-log. */
    public void holdJobs(CountDownLatch release) {
        harness.kubelet.defaultScenario(Scenarios.heldMidBuild(release));
    }

    public int mostJobPodsAtOnce() {
        return harness.kubelet.mostJobPodsAtOnce();
    }

    @Override
    public void close() {
        managers.forEach(RunnerManager::crash);
        harness.close();
    }
}
