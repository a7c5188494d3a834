package io.runnerfleet.jobpod;

import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.base.BuildInfo;
import io.runnerfleet.base.ExecutorNamespace;
import java.util.List;
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
        SharedCache sharedCache) {

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
        this(fleetName, namespace, executor, environment, managerName, defaultHelperImage, null, null, null);
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
                .withSharedCache(SharedCache.of(
                        fleet.getSpec().runner().cache(), SharedCache.RENDER_ACCESS_KEY, "", java.time.Instant.EPOCH));
    }

    public JobPodContext withManager(String manager) {
        return new JobPodContext(
                fleetName, namespace, executor, environment, manager, defaultHelperImage, runner, slot, sharedCache);
    }

    public JobPodContext withRunner(Runner value) {
        return new JobPodContext(
                fleetName, namespace, executor, environment, managerName, defaultHelperImage, value, slot, sharedCache);
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
                sharedCache);
    }

    public JobPodContext withSharedCache(SharedCache value) {
        return new JobPodContext(
                fleetName, namespace, executor, environment, managerName, defaultHelperImage, runner, slot, value);
    }

    public String helperImage() {
        return executor.helperImage() != null && !executor.helperImage().isBlank()
                ? executor.helperImage()
                : defaultHelperImage;
    }
}
