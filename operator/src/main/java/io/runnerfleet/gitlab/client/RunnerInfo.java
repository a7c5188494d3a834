package io.runnerfleet.gitlab.client;

import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Who the manager says it is: the {@code info} object of every request body and the {@code User-Agent}. Shaped as
 * gitlab-runner's {@code common.Info}: {@code name, version, revision, platform, architecture, executor, shell,
 * features{...}, config{gpus}}.
 *
 * @param features every feature flag gitlab-runner serializes, in its order; all of them are always sent
 */
public record RunnerInfo(
        String name,
        String version,
        String revision,
        String branch,
        String goVersion,
        String platform,
        String architecture,
        String executor,
        String shell,
        Map<String, Boolean> features) {

    /** Every key of gitlab-runner's {@code FeaturesInfo}, in its declaration (and so JSON) order. */
    public static final java.util.List<String> FEATURE_KEYS = java.util.List.of(
            "variables",
            "image",
            "services",
            "artifacts",
            "cache",
            "fallback_cache_keys",
            "shared",
            "upload_multiple_artifacts",
            "upload_raw_artifacts",
            "session",
            "terminal",
            "refspecs",
            "masking",
            "proxy",
            "raw_variables",
            "artifacts_exclude",
            "multi_build_steps",
            "trace_reset",
            "trace_checksum",
            "trace_size",
            "vault_secrets",
            "cancelable",
            "return_exit_code",
            "service_variables",
            "service_multiple_aliases",
            "image_executor_opts",
            "service_executor_opts",
            "cancel_gracefully",
            "native_steps_integration",
            "two_phase_job_commit",
            "job_inputs");

    /**
     * What this runner really does, and so advertises; GitLab reads these to decide which jobs it may hand out (a job
     * needing a feature the runner lacks is dropped by GitLab with {@code runner_unsupported}). gitlab-runner's
     * Kubernetes executor sets its list in three places ({@code executors/kubernetes/kubernetes.go} featuresFn,
     * {@code shells/abstract.go} GetFeatures, {@code network/gitlab.go} getFeatures); of those we leave off:
     * {@code session}, {@code terminal} and {@code proxy} (no session server: no web terminal, no service proxy),
     * {@code vault_secrets} (no secrets resolver), {@code native_steps_integration} (no step-runner: {@code run:}) and
     * {@code job_inputs} (no {@code ${{ job.inputs.* }}} interpolation). A job that arrives needing one of them
     * anyway is failed before its pod (gitlab.job.UnsupportedJobFeatures). {@code image_executor_opts} is
     * {@code image: kubernetes: user}.
     */
    public static final java.util.Set<String> KUBERNETES_FEATURES = java.util.Set.of(
            "variables",
            "image",
            "services",
            "artifacts",
            "cache",
            "fallback_cache_keys",
            "service_multiple_aliases",
            "service_variables",
            "image_executor_opts",
            "trace_reset",
            "trace_checksum",
            "trace_size",
            "cancelable",
            "cancel_gracefully",
            "two_phase_job_commit",
            "raw_variables",
            "artifacts_exclude",
            "multi_build_steps",
            "refspecs",
            "masking",
            "upload_multiple_artifacts",
            "upload_raw_artifacts",
            "return_exit_code");

    /** The gitlab-runner release we speak as (reference snapshot), unless the manager says otherwise. */
    public static final String DEFAULT_VERSION = "19.4.0";

    public static final String DEFAULT_REVISION = "d79f3e7b";
    public static final String DEFAULT_BRANCH = "19-4-stable";
    public static final String DEFAULT_GO_VERSION = "go1.24.6";

    public RunnerInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        LinkedHashMap<String, Boolean> ordered = new LinkedHashMap<>();
        for (String key : FEATURE_KEYS) {
            ordered.put(key, features != null && Boolean.TRUE.equals(features.get(key)));
        }
        if (features != null) {
            features.forEach((k, v) -> ordered.putIfAbsent(k, Boolean.TRUE.equals(v)));
        }
        features = Collections.unmodifiableMap(ordered);
    }

    /** gitlab-runner {@value #DEFAULT_VERSION} with the Kubernetes executor and bash, on this machine's architecture. */
    public static RunnerInfo kubernetes() {
        return kubernetes(DEFAULT_VERSION, DEFAULT_REVISION, DEFAULT_BRANCH);
    }

    /**
     * A Runner Fleet manager: gitlab-runner {@value #DEFAULT_VERSION}'s protocol, so the version GitLab parses (its
     * leading {@code X.Y.Z}) is the gitlab-runner release we speak as, followed by our own version the way
     * gitlab-runner marks its own builds ({@code ~}); the revision is our commit; the branch names us.
     * E.g. {@code gitlab-runner 19.4.0~runner-fleet.0.2.0 (runner-fleet; go1.24.6; linux/amd64)}.
     */
    public static RunnerInfo fleetManager(String fleetVersion, String revision) {
        return kubernetes(DEFAULT_VERSION + "~runner-fleet." + fleetVersion, revision, "runner-fleet");
    }

    public static RunnerInfo kubernetes(String version, String revision, String branch) {
        Map<String, Boolean> features = new LinkedHashMap<>();
        for (String key : KUBERNETES_FEATURES) {
            features.put(key, true);
        }
        return new RunnerInfo(
                "gitlab-runner",
                version,
                revision,
                branch,
                DEFAULT_GO_VERSION,
                "linux",
                goArch(System.getProperty("os.arch", "amd64")),
                "kubernetes",
                "bash",
                features);
    }

    /** {@code gitlab-runner <version> (<branch>; <go version>; <os>/<arch>)}, as gitlab-runner sends it. */
    public String userAgent() {
        return String.format(
                Locale.ROOT, "%s %s (%s; %s; %s/%s)", name, version, branch, goVersion, platform, architecture);
    }

    /** The {@code info} object as gitlab-runner serializes it (empty strings omitted, features always present). */
    public Map<String, Object> toJson() {
        Map<String, Object> info = new LinkedHashMap<>();
        putIfNotEmpty(info, "name", name);
        putIfNotEmpty(info, "version", version);
        putIfNotEmpty(info, "revision", revision);
        putIfNotEmpty(info, "platform", platform);
        putIfNotEmpty(info, "architecture", architecture);
        putIfNotEmpty(info, "executor", executor);
        putIfNotEmpty(info, "shell", shell);
        info.put("features", features);
        info.put("config", Map.of("gpus", ""));
        return info;
    }

    /** Go's {@code GOARCH} for a JVM {@code os.arch}. */
    static String goArch(String osArch) {
        switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64":
            case "x86_64":
                return "amd64";
            case "aarch64":
            case "arm64":
                return "arm64";
            case "x86":
            case "i386":
            case "i686":
                return "386";
            case "ppc64le":
                return "ppc64le";
            case "s390x":
                return "s390x";
            default:
                return osArch;
        }
    }

    /**
     * A system id as gitlab-runner makes one when it has no machine id: {@code r_} and 12 random alphanumerics.
     */
    public static String randomSystemId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder id = new StringBuilder("r_");
        for (int i = 0; i < 12; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    private static void putIfNotEmpty(Map<String, Object> map, String key, String value) {
        if (value != null && !value.isEmpty()) {
            map.put(key, value);
        }
    }
}
