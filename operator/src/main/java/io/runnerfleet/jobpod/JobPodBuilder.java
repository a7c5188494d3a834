package io.runnerfleet.jobpod;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.HostAliasBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.NamespaceOverwrite;
import io.runnerfleet.api.v1alpha1.PullPolicy;
import io.runnerfleet.api.v1alpha1.SidecarMode;
import io.runnerfleet.base.FeatureFlags;
import io.runnerfleet.base.GoDurations;
import io.runnerfleet.config.RunnerSources;
import io.runnerfleet.gitlab.job.JobImage;
import io.runnerfleet.gitlab.job.JobPayload;
import io.runnerfleet.gitlab.job.JobStep;
import io.runnerfleet.yaml.Yaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a job and its fleet's executor config into the Job Pod and its Secret (docs/job-pod.md). Pure: same input,
 * same objects; the manager creates them, the {@code render} command prints them.
 *
 * <p>Order inside the pod: {@code prepare} (init, helper image) fetches sources, cache and artifacts; each service
 * then starts as a native sidecar whose startup probe gates the rest; then {@code build} runs the job's script while
 * {@code helper} waits to archive the cache and upload artifacts.
 */
public final class JobPodBuilder {
    public static final String PREPARE = "prepare";
    public static final String BUILD = "build";
    public static final String HELPER = "helper";
    public static final String BUILDS_VOLUME = "builds";
    public static final String FILES_VOLUME = "job-files";
    /**
     * The local cache: an emptyDir at the cache dir that {@code prepare} restores from and {@code helper} saves to,
     * unless the fleet mounts a volume there (then caches outlive the pod), as gitlab-runner's
     * {@code isDefaultCacheDirVolumeRequired} ({@code executors/kubernetes/steps_pod.go}).
     */
    public static final String CACHE_VOLUME = "cache";
    /**
     * Past the job timeout and after_script's own timeout, time for the uploads. The build script stops the script at
     * the timeout itself ({@link BuildScript}); {@code activeDeadlineSeconds} is only the backstop.
     */
    public static final int DEADLINE_GRACE_SECONDS = 60;
    /** {@link #stopGraceSeconds} with gitlab-runner's default after_script timeout. */
    public static final int DEFAULT_STOP_GRACE_SECONDS =
            BuildScript.DEFAULT_AFTER_SCRIPT_TIMEOUT + DEADLINE_GRACE_SECONDS;

    static final String JOB_TOKEN_ENV = "CI_JOB_TOKEN";

    private final JobPayload job;
    /** The fleet's context, its executor with the job's allowed overrides applied ({@link JobOverrides}). */
    private final JobPodContext ctx;

    private final ExecutorSpec executor;
    private final String projectDir;
    private final JobVariables variables;
    private final Map<String, String> values;
    /** Collects the Secret's data as the containers' env and files are built; so the build order matters. */
    private final JobSecretData secret;

    private final String buildImage;
    private final String helperImage;
    /** The job's caches with their keys and policies expanded, as gitlab-runner's shells/abstract.go does. */
    private final CachePlan caches;
    /** The presigned URLs of the job's archives, when the fleet has a shared cache. */
    private final java.util.Optional<CacheUrls> cacheUrls;
    /** The registries the job has credentials for: DOCKER_AUTH_CONFIG, then the job's registry credentials. */
    private final List<RegistryCredentials.Entry> registries;

    private final List<PullPolicy> buildPull;
    private final List<ServicePlan> services;
    private final boolean nativeSidecars;
    /** Ports the build waits on for services when they are not native sidecars (whose probes gate it instead). */
    private final List<Integer> healthPorts;

    private final ExecutorVolumes extraVolumes;
    private final List<VolumeMount> mounts;
    private final List<EnvVar> jobEnv;
    private final List<EnvVar> helperEnv;
    private final String serverUrl;
    private final ResourceRequirements helperResources;
    private final SecurityContext helperSecurity;

    private JobPodBuilder(JobPayload job, JobPodContext ctx) {
        this.job = job;
        this.variables = jobVariables(job, ctx);
        this.projectDir = variables.value("CI_PROJECT_DIR").orElseThrow();
        // The pod, its Secrets and everything that names the namespace follow the job's KUBERNETES_NAMESPACE_OVERWRITE.
        this.ctx = ctx.withNamespace(namespace(ctx, variables))
                .withExecutor(JobOverrides.apply(ctx.executor(), variables));
        this.executor = this.ctx.executor();
        this.values = variables.asMap();
        this.secret = new JobSecretData(JobPodNames.secretName(ctx.fleetName(), job.id()));
        this.buildImage = variables.expand(buildImage(job, executor));
        this.helperImage = variables.expand(ctx.helperImage());
        this.cacheUrls = java.util.Optional.ofNullable(ctx.sharedCache())
                .map(shared -> new CacheUrls(
                        shared,
                        ctx.runner().shortToken(),
                        job.jobInfo().projectId(),
                        // Valid while the pod may live: pending (poll_timeout), the job, after_script, uploads.
                        (long) executor.pollTimeout()
                                + job.timeoutSeconds()
                                + afterScriptTimeout(job, values)
                                + DEADLINE_GRACE_SECONDS));
        this.caches = new CachePlan(
                JobCaches.resolve(
                        job,
                        variables,
                        projectDir,
                        cacheUrls.<JobCaches.Urls>map(u -> u).orElse(JobCaches.Urls.LOCAL_ONLY)),
                JobCaches.requestTimeoutMinutes(variables),
                ctx.sharedCache() == null ? 0 : ctx.sharedCache().spec().maxUploadedArchiveSize());
        List<String> jobPullPolicy =
                job.imageIfNamed().map(JobImage::pullPolicy).orElse(List.of());
        this.buildPull = PullPolicies.resolve(
                jobPullPolicy,
                executor.pullPolicy(),
                executor.allowedPullPolicies(),
                "image \"" + ServiceHostnames.printable(buildImage) + "\"");
        this.registries = RegistryCredentials.of(variables.value("DOCKER_AUTH_CONFIG"), job.credentials());
        this.services = ServicePlan.plan(ServiceContainers.allServices(executor, job, variables::expand), values);
        List<String> internalImages = executor.image() == null
                ? List.of(helperImage)
                : List.of(variables.expand(executor.image()), helperImage);
        ImageReference.verify(buildImage, "image");
        services.forEach(s -> ImageReference.verify(s.image().name(), "service"));
        AllowedImages.verify(buildImage, "images", executor.allowedImages(), internalImages);
        services.forEach(
                s -> AllowedImages.verify(s.image().name(), "services", executor.allowedServices(), internalImages));
        this.nativeSidecars = executor.sidecarMode() == SidecarMode.NATIVE;
        this.healthPorts = nativeSidecars
                ? List.of()
                : services.stream()
                        .filter(s -> s.startupPort().isPresent())
                        .map(s -> s.startupPort().getAsInt())
                        .distinct()
                        .toList();
        this.extraVolumes = ExecutorVolumes.of(executor.volumes(), variables::expand);
        this.mounts = sharedMounts(extraVolumes);
        this.jobEnv = ContainerEnv.of(variables.all(), "var.", secret);
        this.helperEnv = helperEnv(job, jobEnv, secret);
        this.serverUrl = RepositoryUrls.serverUrl(ctx.settings().url(), job, variables);
        this.helperResources = ResourceOverrides.resolve(
                executor.helper(), ResourceOverrides.Target.HELPER, values, variables::isSecret);
        this.helperSecurity = SecurityContexts.container(executor.helperSecurityContext(), executor);
    }

    public static JobPodResources build(JobPayload job, JobPodContext ctx) {
        return new JobPodBuilder(job, ctx).build();
    }

    /**
     * The namespace the job's pod and Secrets go to ({@link JobNamespace}): what the manager creates, follows and
     * cleans up there, without building the pod.
     *
     * @throws JobPodException when the job asks for a namespace the fleet does not allow
     */
    public static String namespace(JobPayload job, JobPodContext ctx) {
        return namespace(ctx, jobVariables(job, ctx));
    }

    private static String namespace(JobPodContext ctx, JobVariables variables) {
        NamespaceOverwrite overwrite = ctx.executor().namespaceOverwriteOrNone();
        return JobNamespace.resolve(
                ctx.namespace(), new JobNamespace.Overwrite(overwrite.pattern(), overwrite.allowed()), variables);
    }

    /**
     * Each container's pull policies, in the order a pull failure tries them ({@link PullFallback}): the helper
     * image's containers follow the job's image, as gitlab-runner's ({@code executors/kubernetes/kubernetes.go},
     * {@code dockerPullPoliciesPerContainer}); each service its own. Empty: the cluster's default, nothing to try next.
     */
    public static Map<String, List<PullPolicy>> pullPolicies(JobPayload job, JobPodContext ctx) {
        JobPodBuilder builder = new JobPodBuilder(job, ctx);
        Map<String, List<PullPolicy>> policies = new LinkedHashMap<>();
        policies.put(PREPARE, builder.buildPull);
        policies.put(BUILD, builder.buildPull);
        policies.put(HELPER, builder.buildPull);
        for (ServicePlan service : builder.services) {
            policies.put(service.containerName(), ServiceContainers.pullPolicies(service, builder.executor));
        }
        return policies;
    }

    private JobPodResources build() {
        // In this order: each container's env adds its secrets and files to the Secret's data.
        Container prepare = prepareContainer();
        Container build = buildContainer();
        Container helper = helperContainer();
        List<Container> serviceContainers = serviceContainers();

        List<Container> initContainers = new ArrayList<>();
        initContainers.add(prepare);
        List<Container> containers = new ArrayList<>(List.of(build, helper));
        (nativeSidecars ? initContainers : containers).addAll(serviceContainers);
        // pod_spec patches come last, as gitlab-runner applies them to the finished spec.
        Pod pod = PodSpecPatches.apply(pod(initContainers, containers, volumes()), executor.podSpec());
        Secret jobSecret = jobSecret();
        ObjectSizeLimits.check(pod, jobSecret);
        return new JobPodResources(pod, jobSecret, registrySecret());
    }

    /**
     * All the job's variables as gitlab-runner's {@code GetAllVariables} ({@code common/build.go}): the resolved
     * feature flags first ({@link #featureFlags}), then the runner's, the job's without its {@code FF_*} ones (their
     * resolved values are already there), then the runner's that come after.
     */
    private static JobVariables allVariables(JobPayload job, JobPodContext ctx, String projectDir) {
        List<Map.Entry<String, String>> before = new ArrayList<>();
        featureFlags(job, ctx).values().forEach((name, on) -> before.add(Map.entry(name, Boolean.toString(on))));
        before.addAll(variablesBeforeJob(job, ctx, projectDir));
        return JobVariables.of(
                job,
                before,
                ctx.settings().tls().variables(),
                variablesAfterJob(ctx),
                FeatureFlags.DEFAULTS::containsKey);
    }

    /**
     * The job's feature flags, resolved as gitlab-runner does ({@link FeatureFlags#resolve}) against the job's
     * variables as {@code getVariablesForFeatureFlagResolution} sees them: the runner's {@code environment} and the
     * job's own, expanded. The manager uses the same answer for what it does itself (the trace).
     */
    public static FeatureFlags.Resolved featureFlags(JobPayload job, JobPodContext ctx) {
        String projectDir = JobPaths.projectDir(job);
        Map<String, String> values = JobVariables.of(
                        job, variablesBeforeJob(job, ctx, projectDir), variablesAfterJob(ctx))
                .asMap();
        return ctx.featureFlags().resolve(values::get);
    }

    /**
     * The job's variables with {@code CI_PROJECT_DIR} where the sources go: {@code /builds/<project path>}, or the
     * job's {@code GIT_CLONE_PATH} ({@link JobPaths#buildDir}). Like gitlab-runner's {@code StartBuild}, which reads
     * the settings, sets the build directory and then refreshes the variables: twice when the path moves.
     */
    private static JobVariables jobVariables(JobPayload job, JobPodContext ctx) {
        String uniqueDir = JobPaths.projectDir(job);
        JobVariables first = allVariables(job, ctx, uniqueDir);
        String buildDir = JobPaths.buildDir(
                uniqueDir, first.value("GIT_CLONE_PATH"), ctx.settings().customBuildDirEnabled());
        return buildDir.equals(uniqueDir) ? first : allVariables(job, ctx, buildDir);
    }

    /**
     * What gitlab-runner puts before the job's variables ({@code common/build.go} {@code getBaseVariablesBeforeJob}):
     * the job's image, the runner's short token and {@code environment} ({@code common/config.go}), then the
     * defaults ({@code GetDefaultVariables}). The job's variables override all of these.
     */
    private static List<Map.Entry<String, String>> variablesBeforeJob(
            JobPayload job, JobPodContext ctx, String projectDir) {
        List<Map.Entry<String, String>> before = new ArrayList<>();
        job.imageIfNamed().ifPresent(image -> before.add(Map.entry("CI_JOB_IMAGE", image.name())));
        before.add(Map.entry("CI_RUNNER_SHORT_TOKEN", ctx.runner().shortToken()));
        before.addAll(JobVariables.environment(ctx.environment()));
        before.add(Map.entry("CI_BUILDS_DIR", JobPaths.BUILDS_DIR));
        before.add(Map.entry("CI_PROJECT_DIR", projectDir));
        before.add(Map.entry("CI_CONCURRENT_ID", Integer.toString(ctx.slot().concurrentId())));
        before.add(Map.entry(
                "CI_CONCURRENT_PROJECT_ID", Integer.toString(ctx.slot().concurrentProjectId())));
        before.add(Map.entry("CI_SERVER", "yes"));
        // The build script sets success or failed for after_script (BuildScript).
        before.add(Map.entry("CI_JOB_STATUS", "running"));
        before.add(Map.entry("CI_JOB_TIMEOUT", Integer.toString(job.timeoutSeconds())));
        return before;
    }

    /** What gitlab-runner puts after the job's variables ({@code getBaseVariablesAfterJob}): the job cannot override. */
    private static Map<String, String> variablesAfterJob(JobPodContext ctx) {
        Map<String, String> after = new LinkedHashMap<>();
        // Every Job Pod is new and goes with the job.
        after.put("CI_DISPOSABLE_ENVIRONMENT", "true");
        after.put("CI_RUNNER_VERSION", ctx.runner().version());
        after.put("CI_RUNNER_REVISION", ctx.runner().revision());
        after.put("CI_RUNNER_EXECUTABLE_ARCH", ctx.runner().executableArch());
        return after;
    }

    private static String buildImage(JobPayload job, ExecutorSpec executor) {
        String image = job.imageIfNamed()
                .map(JobImage::name)
                .orElseGet(() -> executor.image() == null || executor.image().isBlank() ? null : executor.image());
        if (image == null) {
            throw new JobPodException("the job names no image and the fleet has no default "
                    + "(spec.executor.image); set image: in .gitlab-ci.yml or a default image in the fleet");
        }
        return image;
    }

    /** The builds volume, unless the fleet mounts its own there, and the fleet's volumes: in every container. */
    private static List<VolumeMount> sharedMounts(ExecutorVolumes extra) {
        List<VolumeMount> mounts = new ArrayList<>();
        if (!extra.coversBuildsDir()) {
            mounts.add(new VolumeMountBuilder()
                    .withName(BUILDS_VOLUME)
                    .withMountPath(JobPaths.BUILDS_DIR)
                    .build());
        }
        if (!extra.coversCacheDir()) {
            mounts.add(new VolumeMountBuilder()
                    .withName(CACHE_VOLUME)
                    .withMountPath(JobPaths.CACHE_DIR)
                    .build());
        }
        mounts.addAll(extra.mounts());
        return mounts;
    }

    /** The job's env with {@code CI_JOB_TOKEN} first, from the Secret. */
    private static List<EnvVar> helperEnv(JobPayload job, List<EnvVar> jobEnv, JobSecretData secret) {
        List<EnvVar> env = new ArrayList<>();
        env.add(secret.env(JOB_TOKEN_ENV, JobSecretData.JOB_TOKEN_KEY, job.token()));
        jobEnv.stream().filter(e -> !e.getName().equals(JOB_TOKEN_ENV)).forEach(env::add);
        return env;
    }

    /** Fetches sources, cache and artifacts; git gets the job token through url.*.insteadOf rewrites. */
    private Container prepareContainer() {
        GitSettings git = GitSettings.of(job, variables);
        GitRemote remote = GitRemote.of(
                job.gitInfo().repoUrl(),
                ctx.settings().cloneUrl(),
                ctx.settings().url(),
                variables.value("CI_PROJECT_PATH").orElse(""),
                git.submoduleForceHttps(),
                variables
                        .value("CI_SERVER_SHELL_SSH_HOST")
                        .filter(h -> !h.isBlank())
                        .orElse(variables.value("CI_SERVER_HOST").orElse("")),
                variables.value("CI_SERVER_SHELL_SSH_PORT").orElse(""));
        List<EnvVar> env = new ArrayList<>(helperEnv);
        // Presigned URLs are credentials for one object each: from the Secret, like the job token.
        cacheUrls.ifPresent(urls ->
                urls.downloads().forEach((name, url) -> env.add(secret.env(name, secretKey(name), url))));
        return new ContainerBuilder()
                .withName(PREPARE)
                .withImage(helperImage)
                .withImagePullPolicy(PullPolicies.imagePullPolicy(buildPull))
                .withCommand(ShellCommand.of(PrepareScript.generate(
                        git,
                        remote,
                        GetSourcesHooks.of(job, ctx.settings().sources()),
                        ctx.settings().tls().variables().keySet(),
                        projectDir,
                        serverUrl,
                        caches,
                        job.dependencies())))
                .withEnv(env)
                .withResources(helperResources)
                .withSecurityContext(SecurityContexts.prepare(executor))
                .withVolumeMounts(mountsWithFiles())
                .build();
    }

    /**
     * The shared mounts plus the file variables' files. gitlab-runner exports file variables in every stage of the
     * job (get_sources, the script, the uploads), so prepare, build and helper all see them; services do not.
     */
    private List<VolumeMount> mountsWithFiles() {
        List<VolumeMount> withFiles = new ArrayList<>(mounts);
        if (!secret.fileItems().isEmpty()) {
            withFiles.add(new VolumeMountBuilder()
                    .withName(FILES_VOLUME)
                    .withMountPath(JobPaths.FILES_DIR)
                    .withReadOnly(true)
                    .build());
        }
        return withFiles;
    }

    private Container buildContainer() {
        List<VolumeMount> buildMounts = mountsWithFiles();
        return new ContainerBuilder()
                .withName(BUILD)
                .withImage(buildImage)
                .withImagePullPolicy(PullPolicies.imagePullPolicy(buildPull))
                .withCommand(ShellCommand.of(BuildScript.generate(
                        stepScript(job, ctx.settings().sources()),
                        afterScript(job),
                        afterScriptTimeout(job, values),
                        projectDir,
                        healthPorts.isEmpty() ? 0 : executor.pollTimeout(),
                        job.timeoutSeconds(),
                        scriptTimeout(job, values))))
                .withWorkingDir(projectDir)
                .withEnv(jobEnv)
                .withResources(ResourceOverrides.resolve(
                        executor.build(), ResourceOverrides.Target.BUILD, values, variables::isSecret))
                .withSecurityContext(SecurityContexts.container(
                        executor.buildSecurityContext(), executor, buildUser(job, executor, variables)))
                .withLifecycle(ContainerLifecycles.of(executor))
                .withVolumeMounts(buildMounts)
                .build();
    }

    /** The Secret key of a cache URL's env variable: {@code cache.RUNNER_FLEET_CACHE_GET_0}. */
    private static String secretKey(String envName) {
        return "cache." + envName;
    }

    /** Waits for the build, then archives the cache and uploads artifacts. */
    private Container helperContainer() {
        List<EnvVar> env = new ArrayList<>(helperEnv);
        cacheUrls.ifPresent(urls ->
                urls.uploads().forEach((name, url) -> env.add(secret.env(name, secretKey(name), url))));
        return new ContainerBuilder()
                .withName(HELPER)
                .withImage(helperImage)
                .withImagePullPolicy(PullPolicies.imagePullPolicy(buildPull))
                .withCommand(ShellCommand.of(
                        HelperScript.generate(projectDir, serverUrl, job.id(), caches, job.artifacts(), healthPorts)))
                .withEnv(env)
                .withResources(helperResources)
                .withSecurityContext(helperSecurity)
                .withLifecycle(ContainerLifecycles.of(executor))
                .withVolumeMounts(mountsWithFiles())
                .build();
    }

    private List<Container> serviceContainers() {
        List<Container> containers = new ArrayList<>();
        for (ServicePlan service : services) {
            containers.add(ServiceContainers.container(
                    service, executor, variables, variables.forServices(job), secret, mounts, nativeSidecars));
        }
        return containers;
    }

    private List<Volume> volumes() {
        List<Volume> volumes = new ArrayList<>();
        if (!extraVolumes.coversBuildsDir()) {
            volumes.add(new VolumeBuilder()
                    .withName(BUILDS_VOLUME)
                    .withNewEmptyDir()
                    .endEmptyDir()
                    .build());
        }
        if (!extraVolumes.coversCacheDir()) {
            volumes.add(new VolumeBuilder()
                    .withName(CACHE_VOLUME)
                    .withNewEmptyDir()
                    .endEmptyDir()
                    .build());
        }
        if (!secret.fileItems().isEmpty()) {
            volumes.add(new VolumeBuilder()
                    .withName(FILES_VOLUME)
                    .withNewSecret()
                    .withSecretName(JobPodNames.secretName(ctx.fleetName(), job.id()))
                    .withItems(secret.fileItems())
                    .endSecret()
                    .build());
        }
        for (Volume volume : extraVolumes.volumes()) {
            if (volume.getName().equals(BUILDS_VOLUME)
                    || volume.getName().equals(FILES_VOLUME)
                    || volume.getName().equals(CACHE_VOLUME)) {
                throw new JobPodException("spec.executor.volumes: the name \"" + volume.getName()
                        + "\" is reserved for the Job Pod's own volume; rename it");
            }
            volumes.add(volume);
        }
        return volumes;
    }

    private Pod pod(List<Container> initContainers, List<Container> containers, List<Volume> volumes) {
        String name = JobPodNames.podName(ctx.fleetName(), job.id());
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ctx.namespace())
                .withLabels(PodMetadata.podLabels(ctx, job, name, variables))
                .withAnnotations(PodMetadata.podAnnotations(ctx, job, variables))
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withActiveDeadlineSeconds(
                        (long) job.timeoutSeconds() + afterScriptTimeout(job, values) + DEADLINE_GRACE_SECONDS)
                .withServiceAccountName(executor.serviceAccountName())
                .withAutomountServiceAccountToken(executor.automountServiceAccountToken())
                .withPriorityClassName(executor.priorityClassName())
                .withRuntimeClassName(executor.runtimeClassName())
                .withSchedulerName(executor.schedulerName())
                .withTerminationGracePeriodSeconds(executor.podTerminationGracePeriodSeconds())
                .withImagePullSecrets(imagePullSecrets())
                .withNodeSelector(executor.nodeSelector().isEmpty() ? null : new TreeMap<>(executor.nodeSelector()))
                .withTolerations(tolerations(executor))
                .withAffinity(affinity(executor))
                .withSecurityContext(SecurityContexts.pod(executor.podSecurityContext()))
                .withResources(ResourceOverrides.pod(executor, values, variables::isSecret))
                .withHostAliases(hostAliases(services, executor))
                .withDnsPolicy(PodDns.policy(executor.dns()))
                .withDnsConfig(PodDns.config(executor.dns()))
                .withInitContainers(initContainers)
                .withContainers(containers)
                .withVolumes(volumes)
                .endSpec()
                .build();
    }

    /** The fleet's {@code imagePullSecrets}, then the job's own, as gitlab-runner's prepareImagePullSecrets. */
    private List<LocalObjectReference> imagePullSecrets() {
        List<LocalObjectReference> secrets = new ArrayList<>(executor.imagePullSecrets().stream()
                .map(LocalObjectReference::new)
                .toList());
        if (!registries.isEmpty()) {
            secrets.add(new LocalObjectReference(JobPodNames.registrySecretName(ctx.fleetName(), job.id())));
        }
        return secrets;
    }

    private java.util.Optional<Secret> registrySecret() {
        if (registries.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new SecretBuilder()
                .withNewMetadata()
                .withName(JobPodNames.registrySecretName(ctx.fleetName(), job.id()))
                .withNamespace(ctx.namespace())
                .withLabels(PodMetadata.ownLabels(ctx.fleetName(), job.id()))
                .endMetadata()
                .withType(RegistryCredentials.SECRET_TYPE)
                .withStringData(new TreeMap<>(RegistryCredentials.secretData(registries)))
                .build());
    }

    private Secret jobSecret() {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(JobPodNames.secretName(ctx.fleetName(), job.id()))
                .withNamespace(ctx.namespace())
                .withLabels(PodMetadata.ownLabels(ctx.fleetName(), job.id()))
                .endMetadata()
                .withType("Opaque")
                .withStringData(new TreeMap<>(secret.data()))
                .build();
    }

    private static List<HostAlias> hostAliases(List<ServicePlan> services, ExecutorSpec executor) {
        List<HostAlias> aliases = new ArrayList<>();
        Set<String> hostnames = new LinkedHashSet<>();
        services.forEach(s -> hostnames.addAll(s.hostnames()));
        if (!hostnames.isEmpty()) {
            aliases.add(new HostAliasBuilder()
                    .withIp("127.0.0.1")
                    .withHostnames(List.copyOf(hostnames))
                    .build());
        }
        executor.hostAliases()
                .forEach(a -> aliases.add(new HostAliasBuilder()
                        .withIp(a.ip())
                        .withHostnames(a.hostnames())
                        .build()));
        return aliases;
    }

    private static List<Toleration> tolerations(ExecutorSpec executor) {
        return executor.tolerations().stream()
                .map(t -> new TolerationBuilder()
                        .withKey(t.key())
                        .withOperator(t.operator() == null ? null : t.operator().name())
                        .withValue(t.value())
                        .withEffect(t.effect() == null ? null : t.effect().name())
                        .build())
                .toList();
    }

    private static Affinity affinity(ExecutorSpec executor) {
        if (executor.affinity() == null) {
            return null;
        }
        try {
            return Yaml.STRICT_MAPPER.convertValue(executor.affinity(), Affinity.class);
        } catch (IllegalArgumentException e) {
            throw new JobPodException("spec.executor.affinity is not a Kubernetes affinity; write it as in a Pod spec");
        }
    }

    /** {@code image: kubernetes: user}, expanded against the job's variables as gitlab-runner does. */
    private static ImageUser buildUser(JobPayload job, ExecutorSpec executor, JobVariables variables) {
        String user = job.imageIfNamed()
                .map(i -> i.executorOpts().kubernetesUser())
                .map(variables::expand)
                .orElse(null);
        return ImageUser.resolve(user, BUILD, executor.buildSecurityContext(), executor);
    }

    /**
     * The users the job asked for ({@link ImageUser}): the build's, then each service's, with gitlab-runner's trace
     * lines about them. The same job and fleet give the same lines, so a manager adopting the job writes them too.
     */
    public static List<ImageUser> jobUsers(JobPayload job, JobPodContext ctx) {
        JobPodBuilder builder = new JobPodBuilder(job, ctx);
        List<ImageUser> users = new ArrayList<>();
        users.add(buildUser(job, builder.executor, builder.variables));
        builder.services.forEach(s -> users.add(ServiceContainers.user(s, builder.executor, builder.variables)));
        return users;
    }

    /**
     * The job's steps but after_script, between the runner's {@code pre_build_script} and {@code post_build_script}
     * in the same shell, as gitlab-runner's {@code writeUserScript} (which wraps each step; jobs have one).
     */
    private static List<String> stepScript(JobPayload job, RunnerSources runner) {
        List<String> lines = new ArrayList<>();
        GetSourcesHooks.addScript(lines, runner.preBuildScript());
        for (JobStep step : job.steps()) {
            if (!step.name().equals(JobStep.AFTER_SCRIPT)) {
                lines.addAll(step.script());
            }
        }
        GetSourcesHooks.addScript(lines, runner.postBuildScript());
        return lines;
    }

    private static List<String> afterScript(JobPayload job) {
        return job.step(JobStep.AFTER_SCRIPT).map(JobStep::script).orElse(List.of());
    }

    /**
     * How long a Job Pod may take, once its script is stopped, to run after_script and upload: the grace period of a
     * canceled job's pod. gitlab-runner's cancel lets after_script run under its own timeout
     * ({@code common/build.go}, {@code executeUserScripts}).
     */
    public static int stopGraceSeconds(JobPayload job, JobPodContext ctx) {
        String projectDir = JobPaths.projectDir(job);
        Map<String, String> values = allVariables(job, ctx, projectDir).asMap();
        return afterScriptTimeout(job, values) + DEADLINE_GRACE_SECONDS;
    }

    /** gitlab-runner's after_script default is 5 minutes; a shorter step timeout wins. */
    private static int afterScriptTimeout(JobPayload job, Map<String, String> values) {
        int timeout = timeoutVariable(values, "RUNNER_AFTER_SCRIPT_TIMEOUT");
        if (timeout <= 0) {
            timeout = BuildScript.DEFAULT_AFTER_SCRIPT_TIMEOUT;
        }
        int step = job.step(JobStep.AFTER_SCRIPT).map(JobStep::timeout).orElse(0);
        return step > 0 ? Math.min(step, timeout) : timeout;
    }

    /**
     * {@code RUNNER_SCRIPT_TIMEOUT} in seconds, or 0 when unset, malformed or not shorter than the job's timeout: as
     * gitlab-runner's {@code getStageTimeoutContexts} ({@code common/build.go}), which clamps it to the job timeout.
     */
    private static int scriptTimeout(JobPayload job, Map<String, String> values) {
        int timeout = timeoutVariable(values, "RUNNER_SCRIPT_TIMEOUT");
        return timeout > 0 && timeout < job.timeoutSeconds() ? timeout : 0;
    }

    /** Whole hours, minutes and seconds only, as always; any other value counts as unset (0). */
    private static int timeoutVariable(Map<String, String> values, String name) {
        String configured = values.getOrDefault(name, "").trim();
        if (configured.matches("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$") && !configured.isEmpty()) {
            return GoDurations.toWholeSeconds(configured);
        }
        return 0;
    }
}
