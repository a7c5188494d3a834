package io.runnerfleet.config;

import io.runnerfleet.base.GoDurations;
import java.util.List;
import java.util.Map;
import org.tomlj.MutableTomlArray;
import org.tomlj.MutableTomlTable;

/** Writes a {@link ManagerConfig} as gitlab-runner's {@code config.toml}, in its own key names. Pure. */
public final class ConfigTomlWriter {
    static final String FLEET_TABLE = "runner_fleet";
    /** gitlab-runner's {@code [runners.feature_flags]} ({@code common/config.go}, {@code RunnerSettings}). */
    static final String FEATURE_FLAGS = "feature_flags";
    /**
     * In {@code [runners.runner_fleet]}: {@code spec.executor.dind.inherit}, written only when off, so the default
     * needs no key and an upgrade does not change every fleet's config.toml (and roll its managers).
     */
    static final String DIND_INHERIT_KEY = "dind_inherit";

    private ConfigTomlWriter() {}

    public static String write(ManagerConfig config) {
        MutableTomlTable root = MutableTomlTable.create();
        put(root, "concurrent", config.concurrent());
        put(root, "check_interval", config.checkIntervalSeconds());
        put(root, "listen_address", config.listenAddress());
        put(root, "shutdown_timeout", config.shutdownTimeoutSeconds());
        MutableTomlArray runners = root.getOrCreateArray(List.of("runners"));
        for (RunnerEntry entry : config.runners()) {
            runners.add(runnerTable(entry));
        }
        return root.toToml();
    }

    private static MutableTomlTable runnerTable(RunnerEntry entry) {
        MutableTomlTable runner = MutableTomlTable.create();
        put(runner, "name", entry.name());
        put(runner, "url", entry.url());
        put(runner, "tls-ca-file", entry.tls().caFile());
        put(runner, "tls-cert-file", entry.tls().certFile());
        put(runner, "tls-key-file", entry.tls().keyFile());
        put(runner, "executor", entry.executor());
        put(runner, "limit", entry.limit());
        put(runner, "request_concurrency", entry.requestConcurrency());
        put(runner, "output_limit", entry.outputLimitKib());
        put(runner, "unhealthy_requests_limit", entry.unhealthy().requestsLimit());
        if (entry.unhealthy().intervalSeconds() != null) {
            put(
                    runner,
                    "unhealthy_interval",
                    GoDurations.ofSeconds(entry.unhealthy().intervalSeconds()));
        }
        put(runner, "environment", entry.environment());
        put(runner, FEATURE_FLAGS, entry.featureFlags().asWritten());
        RunnerSources sources = entry.sources();
        put(runner, "clone_url", sources.cloneUrl());
        put(runner, "pre_get_sources_script", sources.preGetSourcesScript());
        put(runner, "post_get_sources_script", sources.postGetSourcesScript());
        put(runner, "pre_build_script", sources.preBuildScript());
        put(runner, "post_build_script", sources.postBuildScript());
        if (sources.customBuildDir() != null) {
            put(runner.getOrCreateTable(List.of("custom_build_dir")), "enabled", sources.customBuildDir());
        }
        MutableTomlTable kubernetes = runner.getOrCreateTable(List.of("kubernetes"));
        ExecutorTomlMapping.toToml(entry.kubernetes()).forEach((key, value) -> put(kubernetes, key, value));
        if (entry.cache() != null) {
            put(runner, "cache", CacheTomlMapping.toToml(entry.cache()));
        }
        MutableTomlTable fleet = runner.getOrCreateTable(List.of(FLEET_TABLE));
        put(fleet, "fleet", entry.fleet().name());
        put(fleet, "fleet_namespace", entry.fleet().namespace());
        put(fleet, "sidecar_mode", entry.kubernetes().sidecarMode().value());
        if (entry.kubernetes().capacityAware() != null) {
            put(
                    fleet,
                    ConfigTomlReader.CAPACITY_AWARE_KEY,
                    entry.kubernetes().capacityAware().value());
        }
        if (!entry.kubernetes().dind().inherit()) {
            put(fleet, DIND_INHERIT_KEY, false);
        }
        put(
                fleet,
                ExecutorTomlMapping.OVERWRITE_NAMESPACES_KEY,
                entry.kubernetes().namespaceOverwriteOrNone().allowed());
        put(fleet, CacheTomlMapping.CREDENTIALS_SECRET_KEY, CacheTomlMapping.credentialsSecret(entry.cache()));
        if (entry.tokenRotation() != null) {
            put(
                    fleet,
                    TokenRotation.BEFORE_KEY,
                    GoDurations.ofSeconds((entry.tokenRotation().before().toMillis() + 999) / 1000));
            put(fleet, TokenRotation.SECRET_KEY, entry.tokenRotation().secretName());
            put(fleet, TokenRotation.SECRET_KEY_KEY, entry.tokenRotation().secretKey());
        }
        return runner;
    }

    /** Sets a key, turning maps into tables and lists of maps into arrays of tables; skips empty values. */
    private static void put(MutableTomlTable table, String key, Object value) {
        if (value == null
                || (value instanceof List<?> list && list.isEmpty())
                || (value instanceof Map<?, ?> map && map.isEmpty())) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            MutableTomlTable child = table.getOrCreateTable(List.of(key));
            map.forEach((k, v) -> put(child, String.valueOf(k), v));
        } else if (value instanceof List<?> list && list.get(0) instanceof Map<?, ?>) {
            MutableTomlArray array = table.getOrCreateArray(List.of(key));
            for (Object item : list) {
                MutableTomlTable child = MutableTomlTable.create();
                ((Map<?, ?>) item).forEach((k, v) -> put(child, String.valueOf(k), v));
                array.add(child);
            }
        } else if (value instanceof List<?> list) {
            table.set(List.of(key), list.stream().map(ConfigTomlWriter::scalar).toList());
        } else {
            table.set(List.of(key), scalar(value));
        }
    }

    private static Object scalar(Object value) {
        if (value instanceof Integer number) {
            return number.longValue();
        }
        if (value instanceof Enum<?> constant) {
            return constant.name();
        }
        return value;
    }
}
