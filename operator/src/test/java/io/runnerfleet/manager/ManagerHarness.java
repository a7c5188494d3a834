package io.runnerfleet.manager;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.runnerfleet.api.v1alpha1.CacheSpec;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.base.FeatureFlags;
import io.runnerfleet.config.CacheCredentialsEnv;
import io.runnerfleet.config.FleetIdentity;
import io.runnerfleet.config.ManagerConfig;
import io.runnerfleet.config.RunnerEntry;
import io.runnerfleet.config.TokenRotation;
import io.runnerfleet.gitlab.client.TraceUploader;
import io.runnerfleet.testing.gitlab.FaultPlan;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.kubelet.KubeletMockServer;
import io.runnerfleet.testing.kubelet.SimulatedLogFiles;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A test GitLab, the fabric8 mock API server with a simulated kubelet, and managers of one fleet ("shop" in "ci")
 * started in-process with short timings.
 */
final class ManagerHarness implements AutoCloseable {
    static final String NAMESPACE = "ci";
    static final String FLEET = "shop";

    final KubeletMockServer kube;
    final TestGitLab gitlab;
    final KubeletDriver kubelet;
    /** The Job Pods' build log files; small chunks, so that reading one takes several reads. */
    final SimulatedLogFiles logFiles;

    private final List<RunnerManager> managers = new ArrayList<>();
    private final List<KubernetesClient> managerClients = new ArrayList<>();
    private final List<PodCreateHold> holds = new ArrayList<>();

    ManagerHarness() {
        this(b -> b);
    }

    ManagerHarness(UnaryOperator<TestGitLab.Builder> gitlabSettings) {
        kube = KubeletMockServer.start(Clock.systemUTC());
        gitlab = gitlabSettings
                .apply(TestGitLab.builder().longPoll(Duration.ofMillis(500)).updateIntervalSeconds(0))
                .start();
        logFiles = new SimulatedLogFiles(kube.logs(), 64);
        kubelet = new KubeletDriver(kube, NAMESPACE, logFiles);
    }

    KubernetesClient client() {
        return kube.client();
    }

    static ManagerTimings fastTimings() {
        return new ManagerTimings(
                Duration.ofMillis(100),
                Duration.ofSeconds(2),
                Duration.ofMillis(300),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                Duration.ofSeconds(4));
    }

    ManagerConfig config(int concurrent, int pollTimeoutSeconds, int outputLimitKib) {
        return config(concurrent, pollTimeoutSeconds, outputLimitKib, Map.of(FeatureFlags.TIMESTAMPS, false));
    }

    /**
     * A fleet config with these {@code [runners.feature_flags]}. The other configs turn {@code FF_TIMESTAMPS} off
     * (gitlab-runner's default is on): their tests read the trace's text and compare traces of two managers;
     * TimestampedTraceTest has the timestamps.
     */
    ManagerConfig config(int concurrent, int pollTimeoutSeconds, int outputLimitKib, Map<String, Boolean> flags) {
        return config(concurrent, pollTimeoutSeconds, outputLimitKib, flags, executor -> executor);
    }

    /** The default config of {@link #config(int)} with more executor settings. */
    ManagerConfig config(int concurrent, UnaryOperator<ExecutorSpec.Builder> executor) {
        return config(concurrent, 30, 4096, Map.of(FeatureFlags.TIMESTAMPS, false), executor);
    }

    /** The default config of {@link #config(int)} with the shared cache {@code [runners.cache]}. */
    ManagerConfig config(int concurrent, CacheSpec cache) {
        return config(concurrent, cache, Map.of(FeatureFlags.TIMESTAMPS, false));
    }

    /** The default config of {@link #config(int)} with the shared cache and these feature flags. */
    ManagerConfig config(int concurrent, CacheSpec cache, Map<String, Boolean> flags) {
        return config(concurrent, 30, 4096, flags, executor -> executor, cache);
    }

    private ManagerConfig config(
            int concurrent,
            int pollTimeoutSeconds,
            int outputLimitKib,
            Map<String, Boolean> flags,
            UnaryOperator<ExecutorSpec.Builder> executor) {
        return config(concurrent, pollTimeoutSeconds, outputLimitKib, flags, executor, null);
    }

    private ManagerConfig config(
            int concurrent,
            int pollTimeoutSeconds,
            int outputLimitKib,
            Map<String, Boolean> flags,
            UnaryOperator<ExecutorSpec.Builder> executor,
            CacheSpec cache) {
        return fleetConfig(
                gitlab.url(), NAMESPACE, concurrent, pollTimeoutSeconds, outputLimitKib, flags, executor, cache);
    }

    /** The fleet "shop" of GitLab {@code gitlabUrl}, its Job Pods in {@code namespace} (also for {@link RealApiStand}). */
    static ManagerConfig fleetConfig(
            String gitlabUrl,
            String namespace,
            int concurrent,
            int pollTimeoutSeconds,
            int outputLimitKib,
            Map<String, Boolean> flags,
            UnaryOperator<ExecutorSpec.Builder> executor,
            CacheSpec cache) {
        ExecutorSpec spec = executor.apply(ExecutorSpec.builder()
                        .namespace(namespace)
                        .image("alpine:3.20")
                        .helperImage("registry.example.com/gitlab/gitlab-runner-helper:x86_64-v18.3.0")
                        .pollTimeout(pollTimeoutSeconds))
                .build();
        RunnerEntry runner = new RunnerEntry(
                FLEET,
                gitlabUrl,
                RunnerEntry.KUBERNETES_EXECUTOR,
                0,
                1,
                outputLimitKib,
                List.of(),
                spec,
                new FleetIdentity(FLEET, namespace),
                RunnerEntry.Unhealthy.DEFAULTS,
                FeatureFlags.parse(flags, "harness", "feature_flags"),
                null,
                null,
                cache,
                null);
        return new ManagerConfig(concurrent, 1, ":0", 3, List.of(runner));
    }

    ManagerConfig config(int concurrent) {
        return config(concurrent, 30, 4096);
    }

    /** {@link #config(int)} whose managers rotate the token {@code before} its expiry into the Secret {@code secret}. */
    ManagerConfig rotatingConfig(int concurrent, Duration before, String secret) {
        ManagerConfig base = config(concurrent);
        return new ManagerConfig(
                base.concurrent(),
                base.checkIntervalSeconds(),
                base.listenAddress(),
                base.shutdownTimeoutSeconds(),
                List.of(base.runners().get(0).withTokenRotation(new TokenRotation(before, secret, "token"))));
    }

    /** The User-Agent of the managers' own Kubernetes clients, to tell their calls from the kubelet driver's. */
    static final String MANAGER_USER_AGENT = "runner-fleet-manager-under-test";

    private KubernetesClient managerClient() {
        return managerClient(null);
    }

    private KubernetesClient managerClient(PodCreateHold hold) {
        KubernetesClientBuilder builder = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(kube.client().getConfiguration())
                        .withUserAgent(MANAGER_USER_AGENT)
                        .build());
        if (hold != null) {
            builder.withHttpClientBuilderConsumer(http -> http.addOrReplaceInterceptor("hold-pod-creates", hold));
            holds.add(hold);
        }
        KubernetesClient client = builder.build();
        managerClients.add(client);
        return client;
    }

    /** A manager whose Job Pod creations {@code hold} keeps from the API server once armed. */
    RunnerManager startManager(String podName, ManagerConfig config, PodCreateHold hold) {
        return startManagerWith(podName, config, managerClient(hold));
    }

    RunnerManager startManager(String podName, ManagerConfig config) {
        return startManager(podName, config, "127.0.0.1:0");
    }

    /** A manager whose /metrics listens on {@code listenAddress} (gitlab-runner's {@code listen_address} form). */
    RunnerManager startManager(String podName, ManagerConfig config, String listenAddress) {
        return startManager(podName, config, listenAddress, RunnerToken.of(TestGitLab.RUNNER_TOKEN));
    }

    /** A manager using {@code token} (one following a file, as the Deployment mounts it). */
    RunnerManager startManager(String podName, ManagerConfig config, String listenAddress, RunnerToken token) {
        return startManager(podName, config, listenAddress, token, CacheCredentialsEnv.S3Keys.NONE);
    }

    /** A manager using {@code token} and the shared cache's keys {@code cacheKeys} (as from its environment). */
    RunnerManager startManager(
            String podName,
            ManagerConfig config,
            String listenAddress,
            RunnerToken token,
            CacheCredentialsEnv.S3Keys cacheKeys) {
        ManagerOptions options = options(listenAddress, cacheKeys);
        return startManager(podName, config, token, options, managerClient());
    }

    private RunnerManager startManagerWith(String podName, ManagerConfig config, KubernetesClient client) {
        return startManager(
                podName,
                config,
                RunnerToken.of(TestGitLab.RUNNER_TOKEN),
                options("127.0.0.1:0", CacheCredentialsEnv.S3Keys.NONE),
                client);
    }

    private ManagerOptions options(String listenAddress, CacheCredentialsEnv.S3Keys cacheKeys) {
        return new ManagerOptions(
                        fastTimings(),
                        TraceUploader.Options.defaults().withIntervals(Duration.ofMillis(200), Duration.ofSeconds(5)),
                        b -> b.backoff(Duration.ofMillis(10), Duration.ofMillis(200))
                                .callTimeout(Duration.ofSeconds(2)),
                        listenAddress,
                        Clock.systemUTC(),
                        cacheKeys)
                .withLogFiles(logFiles);
    }

    private RunnerManager startManager(
            String podName, ManagerConfig config, RunnerToken token, ManagerOptions options, KubernetesClient client) {
        RunnerManager manager = new RunnerManager(
                config,
                token,
                new ManagerIdentity(podName, NAMESPACE, ManagerIdentity.systemIdFor(podName)),
                client,
                options);
        manager.start();
        managers.add(manager);
        return manager;
    }

    /** The manager's own pod, as its Deployment would have made it (DeletionCost marks it). */
    void createManagerPod(String podName) {
        client().pods()
                .inNamespace(NAMESPACE)
                .resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                        .withNewMetadata()
                        .withName(podName)
                        .withNamespace(NAMESPACE)
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("manager")
                        .withImage("runner-fleet")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
    }

    RunnerManager startManager(String podName) {
        return startManager(podName, config(10));
    }

    void awaitDone(long jobId, Duration atMost) {
        await().atMost(atMost)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !gitlabState(jobId).processingOrPending());
    }

    private StateView gitlabState(long jobId) {
        return new StateView(gitlab.state(jobId));
    }

    /** Job Pods and job Secrets still in the namespace. */
    List<String> leftovers() {
        List<String> names = new ArrayList<>();
        client().pods()
                .inNamespace(NAMESPACE)
                .withLabel(FleetLabels.JOB_ID)
                .list()
                .getItems()
                .forEach(p -> names.add("pod/" + p.getMetadata().getName()));
        client().secrets()
                .inNamespace(NAMESPACE)
                .list()
                .getItems()
                .forEach(s -> names.add("secret/" + s.getMetadata().getName()));
        return names;
    }

    Pod jobPod(long jobId) {
        return client()
                .pods()
                .inNamespace(NAMESPACE)
                .withLabel(FleetLabels.JOB_ID, Long.toString(jobId))
                .list()
                .getItems()
                .stream()
                .findFirst()
                .orElse(null);
    }

    void faults(FaultPlan plan) {
        gitlab.setFaults(plan);
    }

    @Override
    public void close() {
        managers.forEach(RunnerManager::crash);
        holds.forEach(PodCreateHold::close);
        managerClients.forEach(KubernetesClient::close);
        kubelet.close();
        gitlab.close();
        kube.close();
    }

    private record StateView(TestGitLab.State state) {
        boolean processingOrPending() {
            return state == TestGitLab.State.PENDING
                    || state == TestGitLab.State.RUNNING
                    || state == TestGitLab.State.CANCELING;
        }
    }
}
