package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.runnerfleet.api.v1alpha1.ManagerReport;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts {@code spec.paused} on the fleet's manager Leases ({@link ManagerReport#PAUSED}). Not in config.toml: that
 * would change the pod template's config hash and roll the managers, and a pause must restart nothing; not in a
 * mounted ConfigMap either: the kubelet refreshes those after a minute or more, while a Lease is what every manager
 * already reads with each renewal, with no new permission on either side. A Lease updated by its manager in between
 * refuses the write (409); its changed annotations bring the fleet back here.
 */
final class ManagerPause {
    private static final Logger LOG = LoggerFactory.getLogger(ManagerPause.class);

    private final KubernetesClient client;

    ManagerPause(KubernetesClient client) {
        this.client = client;
    }

    static boolean paused(RunnerFleet fleet) {
        return Boolean.TRUE.equals(fleet.getSpec().paused());
    }

    /** Marks the Leases that do not yet say what the spec says; false when one refused and a retry is due. */
    boolean apply(RunnerFleet fleet, List<Lease> leases) {
        String wanted = Boolean.toString(paused(fleet));
        boolean allMarked = true;
        for (Lease lease : leases) {
            Map<String, String> annotations = lease.getMetadata().getAnnotations() == null
                    ? new HashMap<>()
                    : new HashMap<>(lease.getMetadata().getAnnotations());
            if (wanted.equals(annotations.getOrDefault(ManagerReport.PAUSED, "false"))) {
                continue;
            }
            annotations.put(ManagerReport.PAUSED, wanted);
            Lease copy = client.getKubernetesSerialization().clone(lease);
            copy.getMetadata().setAnnotations(annotations);
            try {
                client.leases().resource(copy).update();
            } catch (KubernetesClientException e) {
                allMarked = false;
                LOG.debug(
                        "lease={} paused={} not written now (status {}); retried shortly",
                        lease.getMetadata().getName(),
                        wanted,
                        e.getCode());
            }
        }
        return allMarked;
    }
}
