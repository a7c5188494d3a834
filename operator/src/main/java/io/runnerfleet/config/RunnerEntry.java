package io.runnerfleet.config;

import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import java.util.List;

/**
 * One {@code [[runners]]} entry. The token is deliberately absent: it reaches the manager through
 * {@code --token-file} or {@code RUNNER_TOKEN}, never through the ConfigMap.
 *
 * @param fleet   the {@code [runners.runner_fleet]} table: our settings that gitlab-runner lacks
 * @param sources {@code clone_url}, {@code [runners.custom_build_dir]} and the runner's hook scripts
 * @param tls     {@code tls-ca-file}, {@code tls-cert-file}, {@code tls-key-file}
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
        RunnerSources sources,
        RunnerTls tls) {

    public static final String KUBERNETES_EXECUTOR = "kubernetes";

    public RunnerEntry {
        environment = List.copyOf(environment);
        sources = sources == null ? RunnerSources.NONE : sources;
        tls = tls == null ? RunnerTls.NONE : tls;
    }

    /** An entry with none of the {@link RunnerSources} settings. */
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
        this(
                name,
                url,
                executor,
                limit,
                requestConcurrency,
                outputLimitKib,
                environment,
                kubernetes,
                fleet,
                null,
                null);
    }

    public RunnerEntry withSources(RunnerSources value) {
        return new RunnerEntry(
                name,
                url,
                executor,
                limit,
                requestConcurrency,
                outputLimitKib,
                environment,
                kubernetes,
                fleet,
                value,
                tls);
    }

    public RunnerEntry withTls(RunnerTls value) {
        return new RunnerEntry(
                name,
                url,
                executor,
                limit,
                requestConcurrency,
                outputLimitKib,
                environment,
                kubernetes,
                fleet,
                sources,
                value);
    }
}
