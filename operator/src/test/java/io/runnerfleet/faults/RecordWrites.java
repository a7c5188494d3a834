package io.runnerfleet.faults;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches the job Secrets of a namespace and notes the job ids whose record was ever written (the first write a
 * manager makes for a job it received, manager.JobRecord): a lost job with none was lost in the one window nothing
 * can recover, between GitLab's answer and that write.
 */
final class RecordWrites implements AutoCloseable {
    private final Set<Long> recorded = ConcurrentHashMap.newKeySet();
    private final Watch watch;

    RecordWrites(KubernetesClient client, String namespace) {
        watch = client.secrets()
                .inNamespace(namespace)
                .withLabel(FleetLabels.JOB_ID)
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Secret secret) {
                        if (action == Action.ADDED) {
                            recorded.add(Long.parseLong(
                                    secret.getMetadata().getLabels().get(FleetLabels.JOB_ID)));
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        // closed with the soak
                    }
                });
    }

    boolean recorded(long jobId) {
        return recorded.contains(jobId);
    }

    @Override
    public void close() {
        watch.close();
    }
}
