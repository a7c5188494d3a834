package io.runnerfleet.config;

/**
 * Which RunnerFleet a runner entry belongs to, so a manager labels its Job Pods and finds its peers' Leases.
 * Empty for a config.toml that did not come from a fleet (e.g. before {@code import}).
 */
public record FleetIdentity(String name, String namespace) {

    public static FleetIdentity none() {
        return new FleetIdentity(null, null);
    }
}
