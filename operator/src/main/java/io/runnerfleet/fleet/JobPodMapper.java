package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.desired.DesiredRbac;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A Job Pod changed: which fleet runs it? Job Pods live in the executor namespace, which need not be the fleet's
 * (or in one a job moved to, {@code spec.executor.namespaceOverwrite}), and carry only the fleet's name
 * ({@code runnerfleet.io/fleet}); the fleet is the one of that name whose Job Pods may be in the pod's namespace.
 */
final class JobPodMapper implements SecondaryToPrimaryMapper<Pod> {
    private final IndexedResourceCache<RunnerFleet> fleets;

    JobPodMapper(IndexedResourceCache<RunnerFleet> fleets) {
        this.fleets = fleets;
    }

    @Override
    public Set<ResourceID> toPrimaryResourceIDs(Pod pod) {
        var labels = pod.getMetadata().getLabels();
        String fleetName = labels == null ? null : labels.get(FleetLabels.FLEET);
        if (fleetName == null) {
            return Set.of();
        }
        String namespace = pod.getMetadata().getNamespace();
        return fleets.list(fleet -> fleetName.equals(fleet.getMetadata().getName())
                        && fleet.getSpec() != null
                        && DesiredRbac.jobNamespaces(fleet).contains(namespace))
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }

    /** Job Pods of the fleet that still hold a job slot: Pending (a pod without a phase yet is) or Running. */
    static boolean isRunningJobOf(RunnerFleet fleet, Pod pod) {
        var labels = pod.getMetadata().getLabels();
        if (labels == null
                || !fleet.getMetadata().getName().equals(labels.get(FleetLabels.FLEET))
                || !labels.containsKey(FleetLabels.JOB_ID)
                || !DesiredRbac.jobNamespaces(fleet).contains(pod.getMetadata().getNamespace())) {
            return false;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return phase == null || "Pending".equals(phase) || "Running".equals(phase);
    }
}
