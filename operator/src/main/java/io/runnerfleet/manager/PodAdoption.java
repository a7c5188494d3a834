package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import java.util.Optional;

/**
 * Takes over a Job Pod whose manager is gone: rewrites the manager annotation with an update that carries the
 * pod's resourceVersion. The API server applies only the first of two racing updates; the other gets 409 Conflict,
 * so exactly one manager wins.
 */
public final class PodAdoption {
    private PodAdoption() {}

    public static String managerOf(Pod pod) {
        var annotations = pod.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(FleetLabels.MANAGER);
    }

    /** The adopted pod, or empty when another manager won the race (or the pod is gone). */
    public static Optional<Pod> tryAdopt(KubernetesClient client, Pod seen, String newManager) {
        return ManagerClaim.tryClaim(client, seen, newManager);
    }
}
