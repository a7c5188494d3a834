package io.runnerfleet.jobpod;

import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.api.v1alpha1.RunnerSpec;
import io.runnerfleet.base.BuildInfo;
import io.runnerfleet.base.ExecutorNamespace;
import io.runnerfleet.base.FeatureFlags;
import io.runnerfleet.config.RunnerSources;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything about the fleet that shapes a Job Pod.
 *
 * @param fleetName          the RunnerFleet's name: prefix of the pod name and value of {@code runnerfleet.io/fleet}
 * @param namespace          where the Job Pod runs
 * @param executor           the fleet's executor config ({@code [runners.kubernetes]})
 * @param environment        the runner's {@code environment} entries ({@code KEY=value}), given to every job
 * @param managerName        the manager pod that runs the job ({@code runnerfleet.io/manager}); null when rendering
 * @param defaultHelperImage the helper image when the executor names none
 * @param runner             what the runner says about itself in the job's variables
 * @param slot               the job's concurrency slot ({@code CI_CONCURRENT_ID}, {@code CI_CONCURRENT_PROJECT_ID})
 * @param featureFlags       the runner's {@code [runners.feature_flags]}
 * @param settings           the {@code [[runners]]} entry's settings for sources and uploads
 * @param sharedCache        the fleet's shared cache ({@code [runners.cache]}), or null for the local cache only
 */
public record JobPodContext(
        String fleetName,
        String namespace,
        ExecutorSpec executor,
        List<String> environment,
        String managerName,
        String defaultHelperImage,
        Runner runner,
        Slot slot,
        FeatureFlags featureFlags,
        RunnerSettings settings,
        SharedCache sharedCache) {

    /**
     * The {@code [[runners]]} entry's settings that shape sources, hooks and uploads ({@code common/config.go}).
     *
     * @param url     {@code url}: where the manager reaches GitLab; the helper's uploads and downloads go there too,
     *                and git's credentials are scoped to it; null when unknown
     * @param sources {@code clone_url}, {@code [runners.custom_build_dir]} and the hook scripts
     */
    /**
     * The contents of the runner's {@code tls-ca-file}, {@code tls-cert-file} and {@code tls-key-file}: the job gets
     * them as the file variables {@code CI_SERVER_TLS_CA_FILE}, {@code CI_SERVER_TLS_CERT_FILE} and
     * {@code CI_SERVER_TLS_KEY_FILE}, as gitlab-runner's {@code GetCITLSVariables} ({@code common/build.go}); null
     * for none. The certificate and key only as a pair.
     */
    public record ServerTls(String caChain, String authCert, String authKey) {
        public static final ServerTls NONE = new ServerTls(null, null, null);

        public Map<String, String> variables() {
            Map<String, String> files = new LinkedHashMap<>();
            if (caChain != null && !caChain.isEmpty()) {
                files.put(CA_FILE_VARIABLE, caChain);
            }
            if (authCert != null && !authCert.isEmpty() && authKey != null && !authKey.isEmpty()) {
                files.put(CERT_FILE_VARIABLE, authCert);
                files.put(KEY_FILE_VARIABLE, authKey);
            }
            return files;
        }
    }

    public static final String CA_FILE_VARIABLE = "CI_SERVER_TLS_CA_FILE";
    public static final String CERT_FILE_VARIABLE = "CI_SERVER_TLS_CERT_FILE";
    public static final String KEY_FILE_VARIABLE = "CI_SERVER_TLS_KEY_FILE";

    public record RunnerSettings(String url, RunnerSources sources, ServerTls tls) {
        public RunnerSettings {
            sources = sources == null ? RunnerSources.NONE : sources;
            tls = tls == null ? ServerTls.NONE : tls;
        }

        public RunnerSettings(String url, RunnerSources sources) {
            this(url, sources, null);
        }

        /** The fleet's {@code spec.gitlab.url} and {@code spec.runner}, as its managers' config.toml has them. */
        public static RunnerSettings of(RunnerFleet fleet) {
            RunnerSpec runner = fleet.getSpec().runner();
            return new RunnerSettings(
                    fleet.getSpec().gitlab() == null
                            ? null
                            : fleet.getSpec().gitlab().url(),
                    new RunnerSources(
                            runner.cloneUrl(),
                            runner.customBuildDir(),
                            runner.preGetSourcesScript(),
                            runner.postGetSourcesScript(),
                            runner.preBuildScript(),
                            runner.postBuildScript()));
        }

        public String cloneUrl() {
            return sources.cloneUrl();
        }

        public boolean customBuildDirEnabled() {
            return sources.customBuildDirEnabled();
        }

        public static final RunnerSettings DEFAULTS = new RunnerSettings(null, RunnerSources.NONE);
    }

    /**
     * The runner's own predefined variables ({@code common/config.go} {@code GetVariables}, {@code common/version.go}
     * {@code Variables}).
     *
     * @param shortToken     {@code CI_RUNNER_SHORT_TOKEN}: the token without its prefix, 9 characters; empty when
     *                       rendering without a token
     * @param version        {@code CI_RUNNER_VERSION}: this project's version, not gitlab-runner's
     * @param revision       {@code CI_RUNNER_REVISION}
     * @param executableArch {@code CI_RUNNER_EXECUTABLE_ARCH}: the manager's {@code os/arch}, in Go's names
     */
    public record Runner(String shortToken, String version, String revision, String executableArch) {
        /** This process: the build's version and the JVM's platform. */
        public static Runner thisProcess(String shortToken) {
            return new Runner(
                    shortToken == null ? "" : shortToken,
                    BuildInfo.version(),
                    BuildInfo.revision(),
                    goOs(System.getProperty("os.name", "")) + "/" + goArch(System.getProperty("os.arch", "")));
        }

        static String goOs(String osName) {
            String os = osName.toLowerCase(java.util.Locale.ROOT);
            return os.startsWith("mac") ? "darwin" : os.startsWith("windows") ? "windows" : os.replace(' ', '_');
        }

        static String goArch(String osArch) {
            return switch (osArch) {
                case "x86_64", "amd64" -> "amd64";
                case "aarch64", "arm64" -> "arm64";
                case "x86", "i386", "i686" -> "386";
                default -> osArch;
            };
        }
    }

    /**
     * The job's place among the runner's running jobs, as gitlab-runner's {@code commands/builds_helper.go}
     * numbers them: the lowest number no other running job of the runner (of the runner and project) holds.
     */
    public record Slot(int concurrentId, int concurrentProjectId) {
        public static final Slot FIRST = new Slot(0, 0);
    }

    public JobPodContext(
            String fleetName,
            String namespace,
            ExecutorSpec executor,
            List<String> environment,
            String managerName,
            String defaultHelperImage) {
        this(
                fleetName,
                namespace,
                executor,
                environment,
                managerName,
                defaultHelperImage,
                null,
                null,
                null,
                null,
                null);
    }

    /** gitlab-runner's own helper image for the version the seed runs. */
    public static final String DEFAULT_HELPER_IMAGE =
            "registry.gitlab.com/gitlab-org/gitlab-runner/gitlab-runner-helper:x86_64-v18.3.0";

    public JobPodContext {
        Objects.requireNonNull(fleetName, "fleetName");
        Objects.requireNonNull(namespace, "namespace");
        executor = executor == null ? ExecutorSpec.defaults() : executor;
        environment = environment == null ? List.of() : List.copyOf(environment);
        defaultHelperImage = defaultHelperImage == null ? DEFAULT_HELPER_IMAGE : defaultHelperImage;
        runner = runner == null ? Runner.thisProcess("") : runner;
        slot = slot == null ? Slot.FIRST : slot;
        featureFlags = featureFlags == null ? FeatureFlags.none() : featureFlags;
        settings = settings == null ? RunnerSettings.DEFAULTS : settings;
    }

    /**
     * The context of a fleet as the CRD holds it, in the fleet's {@link ExecutorNamespace}. A shared cache signs
     * with {@link SharedCache#RENDER_ACCESS_KEY}: what is rendered shows the shape, never a working URL.
     */
    public static JobPodContext forFleet(RunnerFleet fleet) {
        return new JobPodContext(
                        fleet.getMetadata().getName(),
                        ExecutorNamespace.of(fleet),
                        fleet.getSpec().executor(),
                        fleet.getSpec().runner().environment(),
                        null,
                        null)
                .withFeatureFlags(FeatureFlags.parse(
                        fleet.getSpec().runner().featureFlags(), "fleet", "spec.runner.featureFlags"))
                .withSettings(RunnerSettings.of(fleet))
                .withSharedCache(SharedCache.of(
                        fleet.getSpec().runner().cache(), SharedCache.RENDER_ACCESS_KEY, "", java.time.Instant.EPOCH));
    }

    public JobPodContext withManager(String manager) {
        return new JobPodContext(
                fleetName,
                namespace,
                executor,
                environment,
                manager,
                defaultHelperImage,
                runner,
                slot,
                featureFlags,
                settings,
                sharedCache);
    }

    /** The same context for a pod in {@code value}, e.g. the job's {@link JobNamespace}. */
    public JobPodContext withNamespace(String value) {
        return new JobPodContext(
                fleetName,
                value,
                executor,
                environment,
                managerName,
                defaultHelperImage,
                runner,
                slot,
                featureFlags,
                settings,
                sharedCache);
    }

    public JobPodContext withRunner(Runner value) {
        return new JobPodContext(
                fleetName,
                namespace,
                executor,
                environment,
                managerName,
                defaultHelperImage,
                value,
                slot,
                featureFlags,
                settings,
                sharedCache);
    }

    public JobPodContext withExecutor(ExecutorSpec value) {
        return new JobPodContext(
                fleetName,
                namespace,
                value,
                environment,
                managerName,
                defaultHelperImage,
                runner,
                slot,
                featureFlags,
                settings,
                sharedCache);
    }

    public JobPodContext withSlot(Slot value) {
        return new JobPodContext(
                fleetName,
                namespace,
                executor,
                environment,
                managerName,
                defaultHelperImage,
                runner,
                value,
                featureFlags,
                settings,
                sharedCache);
    }

    public JobPodContext withFeatureFlags(FeatureFlags value) {
        return new JobPodContext(
                fleetName,
                namespace,
                executor,
                environment,
                managerName,
                defaultHelperImage,
                runner,
                slot,
                value,
                settings,
                sharedCache);
    }

    public JobPodContext withSettings(RunnerSettings value) {
        return new JobPodContext(
                fleetName,
                namespace,
                executor,
                environment,
                managerName,
                defaultHelperImage,
                runner,
                slot,
                featureFlags,
                value,
                sharedCache);
    }

    public JobPodContext withSharedCache(SharedCache value) {
        return new JobPodContext(
                fleetName,
                namespace,
                executor,
                environment,
                managerName,
                defaultHelperImage,
                runner,
                slot,
                featureFlags,
                settings,
                value);
    }

    public String helperImage() {
        return executor.helperImage() != null && !executor.helperImage().isBlank()
                ? executor.helperImage()
                : defaultHelperImage;
    }
}
