package io.runnerfleet.config;

import io.runnerfleet.api.v1alpha1.CacheSpec;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import java.util.List;

/**
 * One {@code [[runners]]} entry. The token is deliberately absent: it reaches the manager through
 * {@code --token-file} or {@code RUNNER_TOKEN}, never through the ConfigMap.
 *
 * @param fleet the {@code [runners.runner_fleet]} table: our settings that gitlab-runner lacks
 * @param cache {@code [runners.cache]}, or null for the local cache only
 */
public record RunnerEntry(
        String name,
        String url,
        String executor,
        int limit,
        int requestConcurrency,
        int outputLimitKib,
        List<String> environment,
        ExecutorSpec kubernetes,
        FleetIdentity fleet,
        CacheSpec cache) {

    public static final String KUBERNETES_EXECUTOR = "kubernetes";

    public RunnerEntry {
        environment = List.copyOf(environment);
    }

    /** An entry without {@code [runners.cache]}. */
    public RunnerEntry(
            String name,
            String url,
            String executor,
            int limit,
            int requestConcurrency,
            int outputLimitKib,
            List<String> environment,
            ExecutorSpec kubernetes,
            FleetIdentity fleet) {
        this(name, url, executor, limit, requestConcurrency, outputLimitKib, environment, kubernetes, fleet, null);
    }
}
