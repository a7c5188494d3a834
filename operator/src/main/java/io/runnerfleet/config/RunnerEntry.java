package io.runnerfleet.config;

import io.runnerfleet.api.v1alpha1.CacheSpec;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.base.FeatureFlags;
import java.time.Duration;
import java.util.List;

/**
 * One {@code [[runners]]} entry. The token is deliberately absent: it reaches the manager through
 * {@code --token-file} (the mounted Secret, re-read on change) or {@code RUNNER_TOKEN}, never through the ConfigMap.
 *
 * @param fleet        the {@code [runners.runner_fleet]} table: our settings that gitlab-runner lacks
 * @param unhealthy    {@code unhealthy_requests_limit} and {@code unhealthy_interval}
 * @param featureFlags the {@code [runners.feature_flags]} table
 * @param sources      {@code clone_url}, {@code [runners.custom_build_dir]} and the runner's hook scripts
 * @param tls          {@code tls-ca-file}, {@code tls-cert-file}, {@code tls-key-file}
 * @param cache        {@code [runners.cache]}, or null for the local cache only
 * @param tokenRotation {@code token_rotation_before} and the token Secret of {@code [runners.runner_fleet]}, or null
 *                     when the managers do not rotate the token
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
        Unhealthy unhealthy,
        FeatureFlags featureFlags,
        RunnerSources sources,
        RunnerTls tls,
        CacheSpec cache,
        TokenRotation tokenRotation) {

    public static final String KUBERNETES_EXECUTOR = "kubernetes";

    public RunnerEntry {
        environment = List.copyOf(environment);
        unhealthy = unhealthy == null ? Unhealthy.DEFAULTS : unhealthy;
        featureFlags = featureFlags == null ? FeatureFlags.none() : featureFlags;
        sources = sources == null ? RunnerSources.NONE : sources;
        tls = tls == null ? RunnerTls.NONE : tls;
    }

    /**
     * An entry with gitlab-runner's defaults for {@code unhealthy_requests_limit} and {@code unhealthy_interval},
     * without {@code [runners.feature_flags]} and {@code [runners.cache]}, and with none of the
     * {@link RunnerSources} and {@link RunnerTls} settings.
     */
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
                Unhealthy.DEFAULTS,
                null,
                null,
                null,
                null,
                null);
    }

    public RunnerEntry withUnhealthy(Unhealthy value) {
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
                featureFlags,
                sources,
                tls,
                cache,
                tokenRotation);
    }

    public RunnerEntry withFeatureFlags(FeatureFlags value) {
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
                unhealthy,
                value,
                sources,
                tls,
                cache,
                tokenRotation);
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
                unhealthy,
                featureFlags,
                value,
                tls,
                cache,
                tokenRotation);
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
                unhealthy,
                featureFlags,
                sources,
                value,
                cache,
                tokenRotation);
    }

    public RunnerEntry withCache(CacheSpec value) {
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
                unhealthy,
                featureFlags,
                sources,
                tls,
                value,
                tokenRotation);
    }

    public RunnerEntry withTokenRotation(TokenRotation value) {
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
                unhealthy,
                featureFlags,
                sources,
                tls,
                cache,
                value);
    }

    /**
     * gitlab-runner's {@code unhealthy_requests_limit} and {@code unhealthy_interval} ({@code common/config.go}), as
     * written; null where config.toml leaves them out, so a written config.toml leaves them out too.
     *
     * @param requestsLimit   unhealthy job requests in a row after which the runner pauses; at least 1
     * @param intervalSeconds how long it pauses, in whole seconds
     */
    public record Unhealthy(Integer requestsLimit, Integer intervalSeconds) {
        public static final Unhealthy DEFAULTS = new Unhealthy(null, null);
        /** gitlab-runner's {@code DefaultUnhealthyRequestsLimit} ({@code common/consts.go}). */
        public static final int DEFAULT_REQUESTS_LIMIT = 3;

        /** The limit in force: gitlab-runner's {@code GetUnhealthyRequestsLimit} treats below 1 as unset. */
        public int requestsLimitOrDefault() {
            return requestsLimit == null || requestsLimit < 1 ? DEFAULT_REQUESTS_LIMIT : requestsLimit;
        }

        /** The interval in force, or {@code fallback} (gitlab-runner's 1 h, {@code DefaultUnhealthyInterval}). */
        public Duration intervalOr(Duration fallback) {
            return intervalSeconds == null ? fallback : Duration.ofSeconds(intervalSeconds);
        }
    }
}
