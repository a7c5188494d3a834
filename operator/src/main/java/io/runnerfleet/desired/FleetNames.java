package io.runnerfleet.desired;

import io.runnerfleet.api.v1alpha1.RunnerFleet;

/** Names of the objects a fleet owns, derived from the fleet's name only, so they are stable across changes. */
public final class FleetNames {
    public static final String CONFIG_KEY = "config.toml";
    public static final String CONFIG_MOUNT_PATH = "/etc/runner-fleet";
    /**
     * Where the fleet's token Secret is mounted in a manager: a file (not an environment variable) so a rotated token
     * reaches running managers when the kubelet refreshes the volume, without a restart.
     */
    public static final String TOKEN_MOUNT_PATH = "/var/run/runner-fleet/token";

    public static final String TOKEN_FILE = "token";
    /** Where a manager finds {@code spec.gitlab.tlsCa}: its config.toml's {@code tls-ca-file}. */
    public static final String TLS_CA_MOUNT_PATH = "/etc/runner-fleet-tls";

    public static final String TLS_CA_FILE = TLS_CA_MOUNT_PATH + "/ca.crt";
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
