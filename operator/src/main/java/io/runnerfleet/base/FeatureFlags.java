package io.runnerfleet.base;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * gitlab-runner's feature flags ({@code helpers/featureflags/flags.go}, gitlab-runner 19.4): the {@code FF_*} names
 * it knows with their defaults, and what a runner's {@code [runners.feature_flags]} sets. Parsed once at the edge
 * (config.toml, the fleet's {@code spec.runner.featureFlags}); a job's flags are {@link #resolve resolved} from it.
 *
 * <p>Every known flag is exported to the job as a variable with its resolved value, as gitlab-runner does; the ones
 * that change what runner-fleet does are listed in README ("Feature flags"). The others are accepted and exported
 * only, because they govern gitlab-runner internals we do not have (Docker, Windows, fleeting, ...).
 *
 * @param configured the known flags the runner's config sets, by name
 * @param unknown names gitlab-runner does not know, kept only to be written back and warned about (see {@link #parse})
 */
public record FeatureFlags(Map<String, Boolean> configured, Map<String, Boolean> unknown) {
    public static final String TIMESTAMPS = "FF_TIMESTAMPS";
    public static final String MASK_ALL_DEFAULT_TOKENS = "FF_MASK_ALL_DEFAULT_TOKENS";

    /** Every flag gitlab-runner knows, in its order, with its default. */
    public static final Map<String, Boolean> DEFAULTS = defaults();

    public FeatureFlags {
        configured = Collections.unmodifiableMap(new LinkedHashMap<>(configured));
        unknown = Collections.unmodifiableMap(new LinkedHashMap<>(unknown));
    }

    public static FeatureFlags none() {
        return new FeatureFlags(Map.of(), Map.of());
    }

    /**
     * Reads a {@code [runners.feature_flags]} table ({@code FF_NAME = true}) or {@code spec.runner.featureFlags}. A
     * name gitlab-runner does not know has no effect (gitlab-runner ignores it too) and is listed by
     * {@link #warnings}, so a typo does not go unnoticed. A value that is not a boolean is bad input, named by
     * {@code path}.
     */
    public static FeatureFlags parse(Map<String, ?> table, String source, String path) {
        Map<String, Boolean> known = new LinkedHashMap<>();
        Map<String, Boolean> unknown = new LinkedHashMap<>();
        table.forEach((name, value) -> {
            if (!(value instanceof Boolean on)) {
                throw new InvalidInputException(
                        source, path + "." + name, "expected true or false, e.g. " + name + " = true");
            }
            (DEFAULTS.containsKey(name) ? known : unknown).put(name, on);
        });
        return new FeatureFlags(known, unknown);
    }

    /** Every flag as configured, known and unknown, to write back. */
    public Map<String, Boolean> asWritten() {
        Map<String, Boolean> all = new LinkedHashMap<>(configured);
        all.putAll(unknown);
        return all;
    }

    /** One warning per unknown name, naming it at {@code path} (e.g. {@code runners[0].feature_flags}). */
    public List<String> warnings(String path) {
        List<String> warnings = new ArrayList<>();
        unknown.keySet()
                .forEach(
                        name -> warnings.add(path + "." + name + ": unknown feature flag, ignored" + suggestion(name)));
        return warnings;
    }

    /**
     * A job's flags as gitlab-runner's {@code populateFeatureFlags} ({@code common/build_settings.go}) resolves them:
     * the runner's {@code [runners.feature_flags]} wins; otherwise the job's variable (or the runner's
     * {@code environment}) if it parses as a Go bool; otherwise the default. A variable that does not parse is
     * reported in gitlab-runner's words and ignored.
     *
     * @param variable the job's value of a variable after expansion, or null when unset
     */
    public Resolved resolve(Function<String, String> variable) {
        Map<String, Boolean> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        DEFAULTS.forEach((name, fallback) -> {
            if (configured.containsKey(name)) {
                values.put(name, configured.get(name));
                return;
            }
            String raw = variable.apply(name);
            Boolean parsed = raw == null ? fallback : goBool(raw);
            if (parsed == null) {
                problems.add(name + ": could not parse feature flag, expected bool, got " + raw);
                parsed = fallback;
            }
            values.put(name, parsed);
        });
        return new Resolved(values, problems);
    }

    /** A job's flags: every known flag's value, and the job's variables that were not booleans. */
    public record Resolved(Map<String, Boolean> values, List<String> problems) {
        public Resolved {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
            problems = List.copyOf(problems);
        }

        public boolean isOn(String name) {
            return Boolean.TRUE.equals(values.get(name));
        }

        /** The flags with their defaults, for a job that sets none on a runner that sets none. */
        public static Resolved defaults() {
            return none().resolve(name -> null);
        }
    }

    /** Go's {@code strconv.ParseBool}; null when it would fail. */
    static Boolean goBool(String text) {
        return switch (text) {
            case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static String suggestion(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (DEFAULTS.containsKey(upper)) {
            return "; did you mean \"" + upper + "\"?";
        }
        if (DEFAULTS.containsKey("FF_" + upper)) {
            return "; did you mean \"FF_" + upper + "\"?";
        }
        return "; known flags are gitlab-runner's (https://docs.gitlab.com/runner/configuration/feature-flags/)";
    }

    private static Map<String, Boolean> defaults() {
        Map<String, Boolean> defaults = new LinkedHashMap<>();
        defaults.put("FF_TEST_FEATURE", false);
        defaults.put("FF_NETWORK_PER_BUILD", false);
        defaults.put("FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY", false);
        defaults.put("FF_USE_DIRECT_DOWNLOAD", true);
        defaults.put("FF_USE_FASTZIP", true);
        defaults.put("FF_DISABLE_UMASK_FOR_DOCKER_EXECUTOR", false);
        defaults.put("FF_ENABLE_BASH_EXIT_CODE_CHECK", false);
        defaults.put("FF_USE_WINDOWS_LEGACY_PROCESS_STRATEGY", false);
        defaults.put("FF_USE_LEGACY_BASH_EVAL", false);
        defaults.put("FF_USE_POWERSHELL_PATH_RESOLVER", false);
        defaults.put("FF_USE_DYNAMIC_TRACE_FORCE_SEND_INTERVAL", false);
        defaults.put("FF_SCRIPT_SECTIONS", false);
        defaults.put("FF_ENABLE_JOB_CLEANUP", false);
        defaults.put("FF_KUBERNETES_HONOR_ENTRYPOINT", false);
        defaults.put("FF_POSIXLY_CORRECT_ESCAPES", false);
        defaults.put("FF_RESOLVE_FULL_TLS_CHAIN", false);
        defaults.put("FF_DISABLE_POWERSHELL_STDIN", false);
        defaults.put("FF_USE_POD_ACTIVE_DEADLINE_SECONDS", true);
        defaults.put("FF_USE_ADVANCED_POD_SPEC_CONFIGURATION", false);
        defaults.put("FF_SECRET_RESOLVING_FAILS_IF_MISSING", true);
        defaults.put("FF_PRINT_POD_EVENTS", false);
        defaults.put("FF_USE_GIT_BUNDLE_URIS", true);
        defaults.put("FF_USE_GIT_NATIVE_CLONE", false);
        defaults.put("FF_USE_DUMB_INIT_WITH_KUBERNETES_EXECUTOR", false);
        defaults.put("FF_USE_INIT_WITH_DOCKER_EXECUTOR", false);
        defaults.put("FF_LOG_IMAGES_CONFIGURED_FOR_JOB", false);
        defaults.put("FF_USE_DOCKER_AUTOSCALER_DIAL_STDIO", true);
        defaults.put("FF_CLEAN_UP_FAILED_CACHE_EXTRACT", false);
        defaults.put("FF_USE_WINDOWS_JOB_OBJECT", false);
        defaults.put("FF_TIMESTAMPS", true);
        defaults.put("FF_DISABLE_AUTOMATIC_TOKEN_ROTATION", false);
        defaults.put("FF_USE_LEGACY_GCS_CACHE_ADAPTER", false);
        defaults.put("FF_DISABLE_UMASK_FOR_KUBERNETES_EXECUTOR", false);
        defaults.put("FF_USE_LEGACY_S3_CACHE_ADAPTER", false);
        defaults.put("FF_GIT_URLS_WITHOUT_TOKENS", false);
        defaults.put("FF_WAIT_FOR_POD_TO_BE_REACHABLE", false);
        defaults.put("FF_MASK_ALL_DEFAULT_TOKENS", true);
        defaults.put("FF_EXPORT_HIGH_CARDINALITY_METRICS", false);
        defaults.put("FF_USE_FLEETING_ACQUIRE_HEARTBEATS", false);
        defaults.put("FF_USE_EXPONENTIAL_BACKOFF_STAGE_RETRY", true);
        defaults.put("FF_USE_ADAPTIVE_REQUEST_CONCURRENCY", true);
        defaults.put("FF_USE_GITALY_CORRELATION_ID", true);
        defaults.put("FF_USE_GIT_PROACTIVE_AUTH", false);
        defaults.put("FF_HASH_CACHE_KEYS", false);
        defaults.put("FF_ENABLE_JOB_INPUTS_INTERPOLATION", true);
        defaults.put("FF_USE_JOB_ROUTER", false);
        defaults.put("FF_SCRIPT_TO_STEP_MIGRATION", false);
        defaults.put("FF_USE_PARALLEL_CACHE_TRANSFER", false);
        defaults.put("FF_USE_PARALLEL_ARTIFACT_TRANSFER", false);
        defaults.put("FF_CONCRETE", false);
        defaults.put("FF_SUSPENDABLE_ENVIRONMENTS", false);
        defaults.put("FF_USE_NATIVE_CONTAINER_STOP", false);
        return Collections.unmodifiableMap(defaults);
    }
}
