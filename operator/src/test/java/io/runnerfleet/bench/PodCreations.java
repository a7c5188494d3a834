package io.runnerfleet.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches Job Pods in a namespace and notes, per job id, when its first pod was seen (System.nanoTime of the watch
 * event) and how many times a pod was created for it.
 */
public final class PodCreations implements AutoCloseable {
    private final Map<Long, Long> firstSeen = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> creations = new ConcurrentHashMap<>();
    private final AtomicInteger added = new AtomicInteger();
    private final Watch watch;

    public PodCreations(KubernetesClient client, String namespace) {
        watch = client.pods()
                .inNamespace(namespace)
                .withLabel(FleetLabels.JOB_ID)
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Pod pod) {
                        if (action != Action.ADDED) {
                            return;
                        }
                        long now = System.nanoTime();
                        long jobId =
                                Long.parseLong(pod.getMetadata().getLabels().get(FleetLabels.JOB_ID));
                        firstSeen.putIfAbsent(jobId, now);
                        creations
                                .computeIfAbsent(jobId, k -> new AtomicInteger())
                                .incrementAndGet();
                        added.incrementAndGet();
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                        // closed with the benchmark
                    }
                });
    }

    /** System.nanoTime when the job's first pod was seen, or null. */
    public Long firstSeen(long jobId) {
        return firstSeen.get(jobId);
    }

    Map<Long, Long> firstSeen() {
        return Map.copyOf(firstSeen);
    }

    /** Pods created for the job (its pod name is fixed by the job id, so a second run is a second ADDED). */
    public int podsOf(long jobId) {
        AtomicInteger n = creations.get(jobId);
        return n == null ? 0 : n.get();
    }

    int added() {
        return added.get();
    }

    @Override
    public void close() {
        watch.close();
    }
}
