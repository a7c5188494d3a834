package io.runnerfleet.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The uid of every Job Pod of a fleet ever seen, per job id, from an informer on a client that does not go through
 * the fault proxy: a job with more than one ran twice (its pod name is fixed by the job id, so a second pod is a
 * second uid, also when the first was already deleted).
 */
public final class JobPodUids implements AutoCloseable {
    private final Map<Long, Set<String>> uids = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Pod> informer;

    public JobPodUids(KubernetesClient client, String namespace, String fleet) {
        informer = client.pods()
                .inNamespace(namespace)
                .withLabels(selector(fleet))
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        record(pod);
                    }

                    @Override
                    public void onUpdate(Pod before, Pod pod) {
                        record(pod);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean finalStateUnknown) {
                        record(pod);
                    }
                });
    }

    /** The labels of a fleet's Job Pods and job Secrets. */
    public static Map<String, String> selector(String fleet) {
        return Map.of(FleetLabels.FLEET, fleet, FleetLabels.APP_COMPONENT, FleetLabels.COMPONENT_JOB);
    }

    private void record(Pod pod) {
        String job = pod.getMetadata().getLabels().get(FleetLabels.JOB_ID);
        if (job != null) {
            uids.computeIfAbsent(Long.parseLong(job), j -> ConcurrentHashMap.newKeySet())
                    .add(pod.getMetadata().getUid());
        }
    }

    public int podsOf(long jobId) {
        Set<String> set = uids.get(jobId);
        return set == null ? 0 : set.size();
    }

    @Override
    public void close() {
        informer.close();
    }
}
