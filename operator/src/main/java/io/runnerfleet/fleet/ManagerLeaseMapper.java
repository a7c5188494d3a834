package io.runnerfleet.fleet;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** A manager's Lease: which fleet it reports for (its label, same namespace), and whether its report changed. */
final class ManagerLeaseMapper {
    private ManagerLeaseMapper() {}

    static Set<ResourceID> toFleet(Lease lease) {
        String fleet = fleetOf(lease);
        return fleet == null
                ? Set.of()
                : Set.of(new ResourceID(fleet, lease.getMetadata().getNamespace()));
    }

    static boolean isOf(RunnerFleet fleet, Lease lease) {
        return fleet.getMetadata().getName().equals(fleetOf(lease));
    }

    /** Renewals move only {@code renewTime}; a reconciliation is worth it when the annotations (the report) moved. */
    static boolean reportChanged(Lease newer, Lease older) {
        return !Objects.equals(annotations(newer), annotations(older));
    }

    private static String fleetOf(Lease lease) {
        Map<String, String> labels = lease.getMetadata().getLabels();
        return labels == null ? null : labels.get(FleetLabels.FLEET);
    }

    private static Map<String, String> annotations(Lease lease) {
        Map<String, String> annotations = lease.getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }
}
