package io.runnerfleet.manager;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code controller.kubernetes.io/pod-deletion-cost} on this manager's own pod equal to the jobs it runs, so
 * that scaling the Deployment down removes idle managers first (the ReplicaSet controller deletes the pods of lowest
 * cost first). Jobs survive their manager either way (a peer adopts them); an idle manager going costs no adoption.
 * gitlab-runner has no counterpart: it runs as one process per config.toml.
 *
 * <p>A JSON merge patch of that one annotation (fabric8 reads the pod first: {@code get} and {@code patch} on pods in
 * the fleet namespace, in the Lease Role); written only when the count changed, checked at each
 * {@code check_interval}.
 */
final class DeletionCost implements Runnable {
    static final String ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";
    private static final Logger LOG = LoggerFactory.getLogger(DeletionCost.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String podName;
    private final IntSupplier runningJobs;
    private Integer written;
    private boolean podMissing;

    DeletionCost(KubernetesClient client, String namespace, String podName, IntSupplier runningJobs) {
        this.client = client;
        this.namespace = namespace;
        this.podName = podName;
        this.runningJobs = runningJobs;
    }

    @Override
    public synchronized void run() {
        int jobs = runningJobs.getAsInt();
        if (podMissing || Integer.valueOf(jobs).equals(written)) {
            return;
        }
        String patch = "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":\"" + jobs + "\"}}}";
        try {
            client.pods().inNamespace(namespace).withName(podName).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            written = jobs;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                // A manager started by hand, outside a pod (POD_NAME unset): there is no pod to mark.
                podMissing = true;
                LOG.info("no pod {}/{} to mark with {}; scale-down order is not kept", namespace, podName, ANNOTATION);
            } else {
                LOG.warn("could not write {} on pod {}/{}: {}", ANNOTATION, namespace, podName, e.getMessage());
            }
        }
    }
}
