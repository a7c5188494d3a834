package io.runnerfleet.manager;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runnerfleet.base.FeatureFlags;
import io.runnerfleet.config.ManagerConfig;
import io.runnerfleet.manager.trace.KubernetesLogFiles;
import io.runnerfleet.testing.RealApiServer;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.kubelet.ContainerLogs;
import io.runnerfleet.testing.kubelet.KubeletStandIn;
import io.runnerfleet.testing.kubelet.SimulatedLogFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@link BenchStand}'s counterpart on the real kube-apiserver ({@link RealApiServer#shared()}): the test GitLab, a
 * namespace of its own, the simulated kubelet playing every Job Pod there, and a {@link KubeletStandIn} node the pods
 * are bound to, so the managers read the pods' logs ({@code pods/log}) and build log files ({@code pods/exec})
 * through the real API server, as on a cluster. The managers are the caller's: in this JVM
 * ({@link #managerClient}) or processes ({@link #kubeconfigYaml()}).
 */
public final class RealApiStand implements JobStand {
    /**
     * gitlab-runner's default {@code poll_timeout} ({@code KubernetesPollTimeout} in {@code common/consts.go}), not
     * the mock harness's 30 s: the first soak of 300 jobs on the real API server (load 17-30 on 2 cores) failed 182
     * jobs "timed out waiting for pod to start after 30s", the simulated kubelet's status writes through the real API
     * server being too slow for 60 pods at once, not the managers.
     */
    static final int POLL_TIMEOUT_SECONDS = 180;

    private final RealApiServer server;
    private final String namespace;
    private final TestGitLab gitlab;
    private final KubernetesClient client;
    private final ContainerLogs logs = new ContainerLogs(Clock.systemUTC());
    private final SimulatedLogFiles logFiles = new SimulatedLogFiles(logs, KubernetesLogFiles.CHUNK_BYTES);
    private final KubeletStandIn node;
    private final KubeletDriver kubelet;

    /** A test GitLab holding {@code jobs/request} up to {@code longPoll} (zero: long polling off). */
    public RealApiStand(Duration longPoll) throws Exception {
        server = RealApiServer.shared();
        namespace = server.createNamespace("jobs");
        gitlab =
                TestGitLab.builder().longPoll(longPoll).updateIntervalSeconds(0).start();
        client = RealApiServer.newClient(server.adminConfig());
        Path dir = Files.createTempDirectory("kubelet-stand-in");
        node = KubeletStandIn.start(client, logs, logFiles, dir);
        kubelet = new KubeletDriver(client, logs, node, namespace, logFiles);
    }

    @Override
    public TestGitLab gitlab() {
        return gitlab;
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public String namespace() {
        return namespace;
    }

    public KubeletStandIn node() {
        return node;
    }

    public ContainerLogs logs() {
        return logs;
    }

    /** The admin's kubeconfig, for manager processes (they tell themselves apart by their User-Agent). */
    public String kubeconfigYaml() {
        return server.kubeconfigYaml();
    }

    /** A client for a manager in this JVM, as the admin, with {@code userAgent}; the caller closes it. */
    public KubernetesClient managerClient(String userAgent) {
        return RealApiServer.newClient(
                new ConfigBuilder(server.adminConfig()).withUserAgent(userAgent).build());
    }

    @Override
    public ManagerConfig config(int concurrent, int checkIntervalSeconds, int outputLimitKib) {
        ManagerConfig base = ManagerHarness.fleetConfig(
                gitlab.url(),
                namespace,
                concurrent,
                POLL_TIMEOUT_SECONDS,
                outputLimitKib,
                Map.of(FeatureFlags.TIMESTAMPS, false),
                executor -> executor,
                null);
        return new ManagerConfig(concurrent, checkIntervalSeconds, ":0", 3, base.runners());
    }

    @Override
    public void quickJobs() {
        kubelet.defaultScenario(Scenarios.success());
    }

    /** Every Job Pod runs its build until {@code release} opens, mid-log. */
    public void holdJobs(CountDownLatch release) {
        kubelet.defaultScenario(Scenarios.heldMidBuild(release));
    }

    @Override
    public long requestsBy(String userAgent) {
        return server.requestsBy(userAgent);
    }

    /** Stops the kubelet and its node and GitLab; the namespace stays (no namespace controller would empty it). */
    @Override
    public void close() {
        kubelet.close();
        node.close();
        gitlab.close();
        client.close();
    }
}
