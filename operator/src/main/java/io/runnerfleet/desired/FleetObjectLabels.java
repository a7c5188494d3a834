package io.runnerfleet.desired;

import io.runnerfleet.api.v1alpha1.FleetLabels;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import java.util.LinkedHashMap;
import java.util.Map;

/** The labels of a fleet's objects: ours plus the {@code app.kubernetes.io} recommended set. */
public final class FleetObjectLabels {
    private FleetObjectLabels() {}

    /** On every object the fleet owns; also how the operator finds cross-namespace objects to delete. */
    public static Map<String, String> common(RunnerFleet fleet) {
        return common(fleet.getMetadata().getName());
    }

    /** The same, by the fleet's name: what a manager knows of its fleet when it labels a Job Pod. */
    public static Map<String, String> common(String fleetName) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(FleetLabels.APP_NAME, FleetLabels.NAME_VALUE);
        labels.put(FleetLabels.APP_INSTANCE, fleetName);
        labels.put(FleetLabels.APP_MANAGED_BY, FleetLabels.MANAGED_BY_VALUE);
        labels.put(FleetLabels.FLEET, fleetName);
        return labels;
    }

    /** Selects the fleet's manager pods, and nothing else (Job Pods carry component=job). */
    public static Map<String, String> managerSelector(RunnerFleet fleet) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(FleetLabels.FLEET, fleet.getMetadata().getName());
        labels.put(FleetLabels.APP_COMPONENT, FleetLabels.COMPONENT_MANAGER);
        return labels;
    }

    public static Map<String, String> manager(RunnerFleet fleet) {
        Map<String, String> labels = common(fleet);
        labels.putAll(managerSelector(fleet));
        return labels;
    }
}
