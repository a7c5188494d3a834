package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import java.util.Map;
import java.util.Optional;

/**
 * What the manager Deployment reports: how many managers are ready and updated, whether its controller has seen the
 * latest spec, and which config hash its pod template carries.
 */
public record ManagerRollout(
        boolean exists, int ready, int updated, boolean observedLatest, Integer replicas, String configHash) {

    public static final ManagerRollout ABSENT = new ManagerRollout(false, 0, 0, false, null, null);

    public static ManagerRollout of(Deployment deployment) {
        if (deployment == null) {
            return ABSENT;
        }
        DeploymentStatus status = deployment.getStatus();
        Long generation = deployment.getMetadata().getGeneration();
        Long observed = status == null ? null : status.getObservedGeneration();
        boolean observedLatest = observed != null && (generation == null || observed >= generation);
        String hash = Optional.ofNullable(deployment.getSpec().getTemplate().getMetadata())
                .map(meta -> meta.getAnnotations())
                .map((Map<String, String> annotations) -> annotations.get(FleetLabels.CONFIG_HASH))
                .orElse(null);
        return new ManagerRollout(
                true,
                status == null ? 0 : zeroIfNull(status.getReadyReplicas()),
                status == null ? 0 : zeroIfNull(status.getUpdatedReplicas()),
                observedLatest,
                deployment.getSpec().getReplicas(),
                hash);
    }

    private static int zeroIfNull(Integer value) {
        return value == null ? 0 : value;
    }
}
