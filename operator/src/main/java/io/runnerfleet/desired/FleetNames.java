package io.runnerfleet.desired;

import io.runnerfleet.api.v1alpha1.RunnerFleet;

/** Names of the objects a fleet owns, derived from the fleet's name only, so they are stable across changes. */
public final class FleetNames {
    public static final String CONFIG_KEY = "config.toml";
    public static final String CONFIG_MOUNT_PATH = "/etc/runner-fleet";
    public static final String MANAGER_CONTAINER = "manager";
    public static final int METRICS_PORT = 9252;
    public static final String METRICS_PORT_NAME = "metrics";

    private FleetNames() {}

    public static String configMap(RunnerFleet fleet) {
        return fleet.getMetadata().getName() + "-config";
    }

    public static String manager(RunnerFleet fleet) {
        return fleet.getMetadata().getName() + "-manager";
    }

    public static String leaseRole(RunnerFleet fleet) {
        return fleet.getMetadata().getName() + "-manager-leases";
    }

    public static String metricsService(RunnerFleet fleet) {
        return fleet.getMetadata().getName() + "-metrics";
    }
}
