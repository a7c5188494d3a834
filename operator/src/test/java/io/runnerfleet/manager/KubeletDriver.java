package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.testing.kubelet.ContainerLogs;
import io.runnerfleet.testing.kubelet.KubeletMockServer;
import io.runnerfleet.testing.kubelet.KubeletStandIn;
import io.runnerfleet.testing.kubelet.SimulatedKubelet;
import io.runnerfleet.testing.kubelet.SimulatedLogFiles;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the kubelet for every Job Pod that appears: each pod runs the scenario registered for its job id (the
 * default: clone, build, upload, succeed). Also records the most Job Pods that existed at once.
 */
final class KubeletDriver implements AutoCloseable {
    /** What the kubelet does to one Job Pod. */
    @FunctionalInterface
    interface Scenario {
        void play(Kubelet kubelet) throws Exception;
    }

    private final KubernetesClient client;
    private final ContainerLogs logs;
    /** The node the pods run on, when the API server is a real one; null on the mock, which needs none. */
    private final KubeletStandIn node;

    private final long pollMillis;
    private final String namespace;
    /** The build log files a manager may read through the helper; null when no manager reads them. */
    private final SimulatedLogFiles logFiles;

    private final Map<Long, Scenario> scenarios = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kubelet");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger highWater = new AtomicInteger();
    private volatile Scenario defaultScenario = Scenarios.success();
    private volatile boolean closed;

    KubeletDriver(KubeletMockServer server, String namespace) {
        this(server, namespace, null);
    }

    /** Plays the helper as its script does: it stays while a manager reads the build log file through it. */
    KubeletDriver(KubeletMockServer server, String namespace, SimulatedLogFiles logFiles) {
        this(server.client(), server.logs(), null, namespace, logFiles);
    }

    /**
     * Plays the Job Pods on the real API server: binds each to {@code node} (there is no scheduler), and finishes
     * the deletion of those deleted (there is no kubelet). Looks for new pods every 100 ms rather than 30: a list on
     * the real API server costs it more than on the mock.
     */
    KubeletDriver(
            KubernetesClient client,
            ContainerLogs logs,
            KubeletStandIn node,
            String namespace,
            SimulatedLogFiles logFiles) {
        this.client = client;
        this.logs = logs;
        this.node = node;
        this.pollMillis = node == null ? 30 : 100;
        this.namespace = namespace;
        this.logFiles = logFiles;
        pool.execute(this::watch);
    }

    KubeletDriver scenario(long jobId, Scenario scenario) {
        scenarios.put(jobId, scenario);
        return this;
    }

    KubeletDriver defaultScenario(Scenario scenario) {
        defaultScenario = scenario;
        return this;
    }

    int mostJobPodsAtOnce() {
        return highWater.get();
    }

    private void watch() {
        while (!closed) {
            try {
                var pods = client.pods()
                        .inNamespace(namespace)
                        .withLabel(FleetLabels.JOB_ID)
                        .list()
                        .getItems();
                highWater.accumulateAndGet(pods.size(), Math::max);
                for (Pod pod : pods) {
                    String name = pod.getMetadata().getName();
                    if (node != null && pod.getMetadata().getDeletionTimestamp() != null) {
                        node.finishDeletion(namespace, name);
                        continue;
                    }
                    // by uid: a pod made again under the same name (a pull policy fallback) plays again
                    if (!seen.contains(pod.getMetadata().getUid())) {
                        if (node != null && pod.getSpec().getNodeName() == null) {
                            node.bind(namespace, name); // a failed one is tried again at the next look
                        }
                        seen.add(pod.getMetadata().getUid());
                        long jobId =
                                Long.parseLong(pod.getMetadata().getLabels().get(FleetLabels.JOB_ID));
                        Scenario scenario = scenarios.getOrDefault(jobId, defaultScenario);
                        pool.execute(() -> play(name, scenario));
                    }
                }
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the mock server is shutting down, or a list raced a delete: look again
            }
        }
    }

    private void play(String pod, Scenario scenario) {
        try {
            scenario.play(new Kubelet(new SimulatedKubelet(client, logs, namespace, pod), logFiles, namespace, pod));
        } catch (Exception e) {
            // the manager deleted the pod (cancel, cleanup) while the scenario ran: that ends the scenario
        }
    }

    @Override
    public void close() {
        closed = true;
        pool.shutdownNow();
    }

    /** The simulated kubelet of one pod, retrying a status write that raced a manager's update of the pod. */
    static final class Kubelet {
        /** The helper script's bound on waiting for a reader that stopped reading (jobpod.HelperScript). */
        private static final Duration HELPER_WAITS_FOR_A_READER = Duration.ofSeconds(30);

        private final SimulatedKubelet kubelet;
        private final SimulatedLogFiles logFiles;
        private final String namespace;
        private final String pod;

        Kubelet(SimulatedKubelet kubelet, SimulatedLogFiles logFiles, String namespace, String pod) {
            this.kubelet = kubelet;
            this.logFiles = logFiles;
            this.namespace = namespace;
            this.pod = pod;
        }

        /**
         * The helper's script ends: after its uploads it waits while a manager reads the build log file through it
         * (an adopting manager does), as the real script does, then exits 0.
         */
        Kubelet helperExits() throws InterruptedException {
            if (logFiles != null) {
                logFiles.helperMayExit(namespace, pod, HELPER_WAITS_FOR_A_READER);
            }
            return step(s -> s.terminateContainer("helper", 0));
        }

        Kubelet step(java.util.function.Consumer<SimulatedKubelet> step) throws InterruptedException {
            for (int attempt = 0; ; attempt++) {
                try {
                    step.accept(kubelet);
                    return this;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409 || attempt > 20) {
                        throw e;
                    }
                    Thread.sleep(10);
                }
            }
        }

        SimulatedKubelet raw() {
            return kubelet;
        }
    }
}
