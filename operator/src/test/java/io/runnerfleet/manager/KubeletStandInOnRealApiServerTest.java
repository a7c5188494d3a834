package io.runnerfleet.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.config.CacheCredentialsEnv;
import io.runnerfleet.gitlab.client.TraceUploader;
import io.runnerfleet.testing.External;
import io.runnerfleet.testing.RealApiServer;
import io.runnerfleet.testing.RealApiServerExtension;
import io.runnerfleet.testing.gitlab.TestGitLab;
import io.runnerfleet.testing.gitlab.TestJob;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A manager on the real kube-apiserver with the kubelet stand-in ({@code testing/kubelet/KubeletStandIn}): the Job
 * Pod is bound to the stand-in's node, the simulated kubelet moves its status, and the manager reads its logs through
 * the API server, which proxies {@code pods/log} (and, for an adopting manager, {@code pods/exec}) to the stand-in.
 * The managers run in this JVM with the production log file reader ({@code KubernetesLogFiles}, over exec), not the
 * in-process stand-in the mock's tests give them.
 */
@External.ApiServer
@ExtendWith(RealApiServerExtension.class)
class KubeletStandInOnRealApiServerTest {
    private static final String USER_AGENT = "runner-fleet-manager-on-stand-in";

    private final List<RunnerManager> managers = new ArrayList<>();
    private final List<KubernetesClient> clients = new ArrayList<>();
    private RealApiStand stand;

    KubeletStandInOnRealApiServerTest(RealApiServer server) {
        // the shared server, started by the extension (and stopped when the run ends); the stand uses it
    }

    @AfterEach
    void stop() {
        managers.forEach(RunnerManager::crash);
        clients.forEach(KubernetesClient::close);
        if (stand != null) {
            stand.close();
        }
    }

    @Test
    void aQuickJobRunsEndToEndThroughTheApiServerAndTheStandIn() throws Exception {
        stand = new RealApiStand(Duration.ofMillis(500));
        stand.quickJobs();
        Set<String> seen = new ConcurrentHashMap<String, Boolean>().keySet(true);
        try (Watch watch = watchJobPods(seen)) {
            long id = stand.gitlab().enqueue(TestJob.builder(1).build());
            start("shop-manager-a");

            await().atMost(Duration.ofSeconds(60)).until(() -> !stand.unfinished(id));

            TestGitLab.JobView job = stand.gitlab().job(id);
            assertThat(job.state()).isEqualTo(TestGitLab.State.SUCCESS);
            assertThat(job.finalUpdates()).isEqualTo(1);
            assertComplete(
                    stand.gitlab().traceText(id), "$ make test", "running 3 tests", "ok  shop/cart", "ok  shop/pay");
            assertThat(seen)
                    .as("the pod on the stand-in's node, its status written by the simulated kubelet")
                    .contains("node=" + stand.node().nodeName(), "phase=Pending", "phase=Running", "build exited 0");
            assertThat(stand.node().logRequests())
                    .as("containerLogs requests the API server proxied to the stand-in")
                    .isPositive();
            assertThat(stand.requestsBy(USER_AGENT))
                    .as("the manager's requests in the API server's audit log")
                    .isPositive();
        }
    }

    @Test
    void aPeerAdoptsTheJobOfAKilledManagerAndReadsTheBuildLogFileThroughExec() throws Exception {
        stand = new RealApiStand(Duration.ofMillis(500));
        CountDownLatch release = new CountDownLatch(1);
        stand.holdJobs(release);
        long id = stand.gitlab().enqueue(TestJob.builder(2).build());
        RunnerManager doomed = start("shop-manager-a");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> stand.gitlab().traceText(id).contains("ok  shop/cart"));

        doomed.crash();
        start("shop-manager-b");
        await().atMost(Duration.ofSeconds(60)).until(() -> "shop-manager-b".equals(PodAdoption.managerOf(jobPod(id))));
        release.countDown();

        await().atMost(Duration.ofSeconds(90)).until(() -> !stand.unfinished(id));
        TestGitLab.JobView job = stand.gitlab().job(id);
        assertThat(job.state()).isEqualTo(TestGitLab.State.SUCCESS);
        assertThat(job.finalUpdates()).isEqualTo(1);
        assertComplete(
                stand.gitlab().traceText(id),
                "$ make test",
                "running 3 tests",
                "ok  shop/cart",
                "ok  shop/pay",
                "PASS");
        assertThat(stand.node().execRequests())
                .as("build log file reads (pods/exec) the API server passed to the stand-in")
                .isPositive();
    }

    /** Every line once, and the trace ends with "Job succeeded". */
    private static void assertComplete(String trace, String... lines) {
        for (String line : lines) {
            assertThat(trace.split("\n", -1))
                    .as("trace:\n%s", trace)
                    .filteredOn(l -> l.equals(line))
                    .hasSize(1);
        }
        String[] all = trace.strip().split("\n");
        assertThat(all[all.length - 1]).as("trace:\n%s", trace).contains("Job succeeded");
    }

    private RunnerManager start(String podName) {
        KubernetesClient client = stand.managerClient(USER_AGENT);
        clients.add(client);
        ManagerOptions options = new ManagerOptions(
                ManagerHarness.fastTimings(),
                TraceUploader.Options.defaults().withIntervals(Duration.ofMillis(200), Duration.ofSeconds(5)),
                b -> b.backoff(Duration.ofMillis(10), Duration.ofMillis(200)).callTimeout(Duration.ofSeconds(2)),
                "127.0.0.1:0",
                Clock.systemUTC(),
                CacheCredentialsEnv.S3Keys.NONE);
        RunnerManager manager = new RunnerManager(
                stand.config(10, 1, 4096),
                RunnerToken.of(TestGitLab.RUNNER_TOKEN),
                new ManagerIdentity(podName, stand.namespace(), ManagerIdentity.systemIdFor(podName)),
                client,
                options);
        manager.start();
        managers.add(manager);
        return manager;
    }

    private Pod jobPod(long id) {
        return stand
                .client()
                .pods()
                .inNamespace(stand.namespace())
                .withLabel(FleetLabels.JOB_ID, Long.toString(id))
                .list()
                .getItems()
                .stream()
                .findFirst()
                .orElse(null);
    }

    /** Records each Job Pod's node and phases as the API server tells them. */
    private Watch watchJobPods(Set<String> seen) {
        return stand.client().pods().inNamespace(stand.namespace()).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (pod.getSpec().getNodeName() != null) {
                    seen.add("node=" + pod.getSpec().getNodeName());
                }
                if (pod.getStatus() != null && pod.getStatus().getPhase() != null) {
                    seen.add("phase=" + pod.getStatus().getPhase());
                }
                // Not the phase Succeeded: the manager deletes the pod once build and helper have ended, which may
                // be before the simulated kubelet's last status write.
                if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
                    pod.getStatus().getContainerStatuses().stream()
                            .filter(c ->
                                    c.getName().equals("build") && c.getState().getTerminated() != null)
                            .forEach(c -> seen.add("build exited "
                                    + c.getState().getTerminated().getExitCode()));
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
    }
}
