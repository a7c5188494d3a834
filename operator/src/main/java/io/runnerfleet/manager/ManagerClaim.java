package io.runnerfleet.manager;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Makes a manager the one that carries an object of a job (its Job Pod, its record) by naming it in the object's
 * {@link FleetLabels#MANAGER} annotation, as a compare-and-swap: the update carries the resourceVersion that was read,
 * so when two managers race for the same object the API server takes exactly one update and answers the other 409.
 */
final class ManagerClaim {
    private ManagerClaim() {}

    /** The object, now naming {@code manager}; empty when a peer changed it first or it is gone. */
    static <T extends HasMetadata> Optional<T> tryClaim(KubernetesClient client, T seen, String manager) {
        T claimed = client.getKubernetesSerialization().clone(seen);
        Map<String, String> annotations = claimed.getMetadata().getAnnotations() == null
                ? new HashMap<>()
                : new HashMap<>(claimed.getMetadata().getAnnotations());
        annotations.put(FleetLabels.MANAGER, manager);
        claimed.getMetadata().setAnnotations(annotations);
        try {
            return Optional.of(client.resource(claimed)
                    .inNamespace(seen.getMetadata().getNamespace())
                    .update());
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
