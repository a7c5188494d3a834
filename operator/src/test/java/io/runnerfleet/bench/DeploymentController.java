package io.runnerfleet.bench;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.runnerfleet.testing.TestCluster;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Plays the Deployment controller and the kubelet for the managers (the mock runs no controllers): every Deployment
 * whose status does not yet say "all replicas of this generation ready" gets that status, at once.
 */
public final class DeploymentController implements AutoCloseable {
    private final TestCluster cluster;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "deployment-controller");
        t.setDaemon(true);
        return t;
    });
    private final Watch watch;

    public DeploymentController(TestCluster cluster) {
        this.cluster = cluster;
        this.watch = cluster.client().apps().deployments().inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment d) {
                if ((action == Action.ADDED || action == Action.MODIFIED) && !ready(d)) {
                    worker.execute(() -> makeReady(
                            d.getMetadata().getNamespace(), d.getMetadata().getName()));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // closed with the benchmark
            }
        });
    }

    private static boolean ready(Deployment d) {
        DeploymentStatus s = d.getStatus();
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        return s != null
                && Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())
                && Objects.equals(s.getReadyReplicas(), replicas)
                && Objects.equals(s.getReplicas(), replicas);
    }

    private void makeReady(String namespace, String name) {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                Deployment current = cluster.client()
                        .apps()
                        .deployments()
                        .inNamespace(namespace)
                        .withName(name)
                        .get();
                if (current == null || ready(current)) {
                    return;
                }
                cluster.setDeploymentReady(namespace, name, current.getSpec().getReplicas());
                return;
            } catch (RuntimeException e) {
                // a conflict with the operator's own update: read again
            }
        }
    }

    @Override
    public void close() {
        watch.close();
        worker.shutdownNow();
    }
}
