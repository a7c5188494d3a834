package io.runnerfleet.config;

import java.util.List;

/**
 * A manager's {@code config.toml}, parsed once: gitlab-runner's global keys and its {@code [[runners]]} entries.
 * Durations are whole seconds, as gitlab-runner stores them.
 */
public record ManagerConfig(
        int concurrent,
        int checkIntervalSeconds,
        String listenAddress,
        int shutdownTimeoutSeconds,
        List<RunnerEntry> runners) {

    public static final String DEFAULT_LISTEN_ADDRESS = ":9252";

    public ManagerConfig {
        runners = List.copyOf(runners);
    }
}
