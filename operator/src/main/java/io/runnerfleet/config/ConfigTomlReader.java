package io.runnerfleet.config;

import io.runnerfleet.api.v1alpha1.CapacityAware;
import io.runnerfleet.api.v1alpha1.DindSpec;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.base.FeatureFlags;
import io.runnerfleet.base.FieldProblem;
import io.runnerfleet.base.GoDurations;
import io.runnerfleet.base.InvalidInputException;
import io.runnerfleet.base.NamespaceOverwriteRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Parses a gitlab-runner {@code config.toml} into a {@link ManagerConfig}, once, at the edge. Keys gitlab-runner
 * knows but this project does not model are listed in {@link Result#ignoredKeys()}; a token is never read from
 * the file (it comes from {@code --token-file} or {@code RUNNER_TOKEN}).
 */
public final class ConfigTomlReader {
    private static final Set<String> GLOBAL_KEYS =
            Set.of("concurrent", "check_interval", "listen_address", "shutdown_timeout", "runners");
    private static final Set<String> RUNNER_KEYS = Set.of(
            "name",
            "url",
            "executor",
            "limit",
            "request_concurrency",
            "output_limit",
            "unhealthy_requests_limit",
            "unhealthy_interval",
            "environment",
            "clone_url",
            "tls-ca-file",
            "tls-cert-file",
            "tls-key-file",
            "custom_build_dir",
            "pre_get_sources_script",
            "post_get_sources_script",
            "pre_build_script",
            "post_build_script",
            "kubernetes",
            ConfigTomlWriter.FEATURE_FLAGS,
            "cache",
            ConfigTomlWriter.FLEET_TABLE);

    /** The parsed config and the keys that were present but not used. */
    public record Result(ManagerConfig config, List<String> ignoredKeys) {}

    private ConfigTomlReader() {}

    public static Result read(String source, String text) {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            List<FieldProblem> problems = toml.errors().stream()
                    .map(e -> new FieldProblem(
                            "line " + e.position().line() + ", column "
                                    + e.position().column(),
                            "malformed TOML: " + e.getMessage()))
                    .toList();
            throw new InvalidInputException(source, problems);
        }
        List<String> ignored = new ArrayList<>();
        Map<String, Object> root = plain(toml);
        root.keySet().stream().filter(k -> !GLOBAL_KEYS.contains(k)).forEach(ignored::add);
        List<RunnerEntry> runners = new ArrayList<>();
        Object runnerList = root.getOrDefault("runners", List.of());
        if (!(runnerList instanceof List<?> list)) {
            throw new InvalidInputException(source, "runners", "expected [[runners]] entries");
        }
        for (int i = 0; i < list.size(); i++) {
            runners.add(
                    runner(source, "runners[" + i + "]", asMap(source, "runners[" + i + "]", list.get(i)), ignored));
        }
        ManagerConfig config = new ManagerConfig(
                intValue(source, "", root, "concurrent", 1),
                intValue(source, "", root, "check_interval", 3),
                stringValue(root, "listen_address", ManagerConfig.DEFAULT_LISTEN_ADDRESS),
                intValue(source, "", root, "shutdown_timeout", 30),
                runners);
        return new Result(config, ignored);
    }

    /** {@code [runners.runner_fleet]}'s key for {@code spec.executor.capacityAware}. */
    public static final String CAPACITY_AWARE_KEY = "capacity_aware";

    private static RunnerEntry runner(String source, String path, Map<String, Object> runner, List<String> ignored) {
        runner.keySet().stream()
                .filter(k -> !RUNNER_KEYS.contains(k))
                .map(k -> path + "." + k)
                .forEach(ignored::add);
        Map<String, Object> fleet = runner.containsKey(ConfigTomlWriter.FLEET_TABLE)
                ? asMap(source, path + "." + ConfigTomlWriter.FLEET_TABLE, runner.get(ConfigTomlWriter.FLEET_TABLE))
                : Map.of();
        Map<String, Object> kubernetes = runner.containsKey("kubernetes")
                ? asMap(source, path + ".kubernetes", runner.get("kubernetes"))
                : Map.of();
        FeatureFlags featureFlags = FeatureFlags.parse(
                runner.containsKey(ConfigTomlWriter.FEATURE_FLAGS)
                        ? asMap(
                                source,
                                path + "." + ConfigTomlWriter.FEATURE_FLAGS,
                                runner.get(ConfigTomlWriter.FEATURE_FLAGS))
                        : Map.of(),
                source,
                path + "." + ConfigTomlWriter.FEATURE_FLAGS);
        // An unknown flag changes nothing (gitlab-runner ignores it too): listed with the keys not used.
        featureFlags
                .unknown()
                .keySet()
                .forEach(name -> ignored.add(path + "." + ConfigTomlWriter.FEATURE_FLAGS + "." + name));
        List<String> environment = new ArrayList<>();
        if (runner.get("environment") instanceof List<?> entries) {
            entries.forEach(e -> environment.add(String.valueOf(e)));
        } else if (runner.containsKey("environment")) {
            throw new InvalidInputException(
                    source,
                    path + ".environment",
                    "expected an array of \"KEY=value\" strings, e.g. environment = [\"FOO=bar\"]");
        }
        try {
            return new RunnerEntry(
                    stringValue(runner, "name", null),
                    stringValue(runner, "url", null),
                    stringValue(runner, "executor", RunnerEntry.KUBERNETES_EXECUTOR),
                    intValue(source, path, runner, "limit", 0),
                    Math.max(1, intValue(source, path, runner, "request_concurrency", 1)),
                    intValue(source, path, runner, "output_limit", 4096),
                    environment,
                    executor(source, path, kubernetes, fleet, ignored),
                    new FleetIdentity(stringValue(fleet, "fleet", null), stringValue(fleet, "fleet_namespace", null)),
                    unhealthy(source, path, runner),
                    featureFlags,
                    sources(source, path, runner, ignored),
                    new RunnerTls(
                            stringValue(runner, "tls-ca-file", null),
                            stringValue(runner, "tls-cert-file", null),
                            stringValue(runner, "tls-key-file", null)),
                    runner.containsKey("cache")
                            ? CacheTomlMapping.fromToml(
                                    asMap(source, path + ".cache", runner.get("cache")),
                                    stringValue(fleet, CacheTomlMapping.CREDENTIALS_SECRET_KEY, null),
                                    path + ".cache",
                                    ignored)
                            : null,
                    tokenRotation(source, path, fleet));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(source, path, e.getMessage());
        }
    }

    /** {@code token_rotation_before} and the token Secret of {@code [runners.runner_fleet]}; null when not set. */
    private static TokenRotation tokenRotation(String source, String path, Map<String, Object> fleet) {
        String before = stringValue(fleet, TokenRotation.BEFORE_KEY, null);
        if (before == null) {
            return null;
        }
        String keyPath = path + "." + ConfigTomlWriter.FLEET_TABLE + "." + TokenRotation.BEFORE_KEY;
        Duration parsed;
        try {
            parsed = GoDurations.parse(before);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    source, keyPath, "expected a duration string such as " + TokenRotation.BEFORE_KEY + " = \"72h\"");
        }
        try {
            return new TokenRotation(
                    parsed,
                    stringValue(fleet, TokenRotation.SECRET_KEY, null),
                    stringValue(fleet, TokenRotation.SECRET_KEY_KEY, null));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(source, keyPath, e.getMessage());
        }
    }

    /**
     * {@code unhealthy_requests_limit} (below 1 is gitlab-runner's "unset") and {@code unhealthy_interval}, a Go
     * duration string as gitlab-runner's {@code *time.Duration} reads it from TOML.
     */
    private static RunnerEntry.Unhealthy unhealthy(String source, String path, Map<String, Object> runner) {
        Integer limit = runner.containsKey("unhealthy_requests_limit")
                ? intValue(source, path, runner, "unhealthy_requests_limit", 0)
                : null;
        Object interval = runner.get("unhealthy_interval");
        Integer seconds = null;
        if (interval != null) {
            try {
                if (!(interval instanceof String text)) {
                    throw new IllegalArgumentException("not a string");
                }
                seconds = GoDurations.toWholeSeconds(text);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(
                        source,
                        path + ".unhealthy_interval",
                        "expected a duration string such as unhealthy_interval = \"1h\" or \"90s\", got " + interval);
            }
        }
        return new RunnerEntry.Unhealthy(limit != null && limit < 1 ? null : limit, seconds);
    }

    private static RunnerSources sources(String source, String path, Map<String, Object> runner, List<String> ignored) {
        Boolean customBuildDir = null;
        if (runner.containsKey("custom_build_dir")) {
            Map<String, Object> table = asMap(source, path + ".custom_build_dir", runner.get("custom_build_dir"));
            table.keySet().stream()
                    .filter(k -> !k.equals("enabled"))
                    .map(k -> path + ".custom_build_dir." + k)
                    .forEach(ignored::add);
            Object enabled = table.get("enabled");
            if (enabled != null && !(enabled instanceof Boolean)) {
                throw new InvalidInputException(
                        source, path + ".custom_build_dir.enabled", "expected true or false, got \"" + enabled + "\"");
            }
            customBuildDir = (Boolean) enabled;
        }
        return new RunnerSources(
                stringValue(runner, "clone_url", null),
                customBuildDir,
                stringValue(runner, "pre_get_sources_script", null),
                stringValue(runner, "post_get_sources_script", null),
                stringValue(runner, "pre_build_script", null),
                stringValue(runner, "post_build_script", null));
    }

    /** The executor, its namespace overwrite checked here, so a manager with a bad one does not start. */
    private static ExecutorSpec executor(
            String source,
            String path,
            Map<String, Object> kubernetes,
            Map<String, Object> fleet,
            List<String> ignored) {
        String namespacesField =
                path + "." + ConfigTomlWriter.FLEET_TABLE + "." + ExecutorTomlMapping.OVERWRITE_NAMESPACES_KEY;
        List<String> namespaces = new ArrayList<>();
        Object listed = fleet.get(ExecutorTomlMapping.OVERWRITE_NAMESPACES_KEY);
        if (listed instanceof List<?> entries) {
            entries.forEach(e -> namespaces.add(String.valueOf(e)));
        } else if (listed != null) {
            throw new InvalidInputException(
                    source, namespacesField, "expected an array of namespaces, e.g. [\"ci-a\", \"ci-b\"]");
        }
        ExecutorSpec executor = ExecutorTomlMapping.fromToml(
                kubernetes, stringValue(fleet, "sidecar_mode", null), namespaces, path + ".kubernetes", ignored);
        executor = executor.toBuilder()
                .dind(new DindSpec(dindInherit(source, path, fleet)))
                .build();
        List<FieldProblem> problems = NamespaceOverwriteRules.check(
                executor.namespaceOverwrite(),
                namespacesField,
                path + ".kubernetes." + ExecutorTomlMapping.NAMESPACE_OVERWRITE_KEY);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(source, problems);
        }
        return withCapacityAware(source, path, executor, fleet);
    }

    /** {@code capacity_aware} of {@code [runners.runner_fleet]} (absent: the default, quota). */
    private static ExecutorSpec withCapacityAware(
            String source, String path, ExecutorSpec executor, Map<String, Object> fleet) {
        String value = stringValue(fleet, CAPACITY_AWARE_KEY, null);
        if (value == null) {
            return executor;
        }
        CapacityAware mode = CapacityAware.fromValue(value);
        if (mode == null) {
            throw new InvalidInputException(
                    source,
                    path + "." + ConfigTomlWriter.FLEET_TABLE + "." + CAPACITY_AWARE_KEY,
                    "expected \"quota\", \"nodes\" or \"none\", got \"" + value + "\"");
        }
        return executor.toBuilder().capacityAware(mode).build();
    }

    /** {@code dind_inherit} of {@code [runners.runner_fleet]}: on unless {@code false}. */
    private static boolean dindInherit(String source, String path, Map<String, Object> fleet) {
        Object value = fleet.get(ConfigTomlWriter.DIND_INHERIT_KEY);
        if (value == null) {
            return true;
        }
        if (!(value instanceof Boolean on)) {
            throw new InvalidInputException(
                    source,
                    path + "." + ConfigTomlWriter.FLEET_TABLE + "." + ConfigTomlWriter.DIND_INHERIT_KEY,
                    "expected true or false, got \"" + value + "\"");
        }
        return on;
    }

    private static int intValue(String source, String path, Map<String, Object> table, String key, int fallback) {
        Object value = table.get(key);
        if (value == null) {
            return fallback;
        }
        String field = path.isEmpty() ? key : path + "." + key;
        if (value instanceof Long number && number == number.intValue()) {
            return number.intValue();
        }
        if (value instanceof Long) {
            throw new InvalidInputException(
                    source, field, value + " is out of range; expected an integer up to " + Integer.MAX_VALUE);
        }
        throw new InvalidInputException(source, field, "expected an integer, got \"" + value + "\"");
    }

    private static String stringValue(Map<String, Object> table, String key, String fallback) {
        Object value = table.get(key);
        return value == null ? fallback : String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(String source, String path, Object value) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new InvalidInputException(source, path, "expected a table");
    }

    /** TOML tables and arrays as plain maps and lists, so the mapping code handles one shape. */
    private static Map<String, Object> plain(TomlTable table) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String key : table.keySet()) {
            map.put(key, plainValue(table.get(List.of(key))));
        }
        return map;
    }

    private static Object plainValue(Object value) {
        if (value instanceof TomlTable table) {
            return plain(table);
        }
        if (value instanceof TomlArray array) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                list.add(plainValue(array.get(i)));
            }
            return list;
        }
        return value;
    }
}
