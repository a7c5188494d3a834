package io.runnerfleet.jobpod;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.HostAliasBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
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
import io.runnerfleet.api.v1alpha1.PullPolicy;
import io.runnerfleet.api.v1alpha1.RunnerService;
import io.runnerfleet.api.v1alpha1.SidecarMode;
import io.runnerfleet.base.GoDurations;
import io.runnerfleet.gitlab.job.JobImage;
import io.runnerfleet.gitlab.job.JobPayload;
import io.runnerfleet.gitlab.job.JobStep;
import io.runnerfleet.gitlab.job.JobVariable;
import io.runnerfleet.yaml.Yaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    /** Past the job timeout, time for the manager to stop the job itself and for after_script and uploads. */
    public static final int DEADLINE_GRACE_SECONDS = 60;
    static final String REPO_URL_ENV = PrepareScript.REPO_URL_ENV;
    static final String JOB_TOKEN_ENV = "CI_JOB_TOKEN";

    private JobPodBuilder() {
    }

    public static JobPodResources build(JobPayload job, JobPodContext ctx) {
        ExecutorSpec executor = ctx.executor();
        String name = JobPodNames.podName(ctx.fleetName(), job.id());
        String projectDir = JobPaths.projectDir(job);
        Map<String, String> predefined = new LinkedHashMap<>();
        predefined.put("CI_BUILDS_DIR", JobPaths.BUILDS_DIR);
        predefined.put("CI_PROJECT_DIR", projectDir);
        predefined.put("CI_SERVER", "yes");
        JobVariables variables = JobVariables.of(job, predefined, ctx.environment());
        Map<String, String> values = variables.asMap();
        JobSecretData secret = new JobSecretData(JobPodNames.secretName(ctx.fleetName(), job.id()));

        String buildImage = job.imageIfNamed().map(JobImage::name)
                .orElseGet(() -> executor.image() == null || executor.image().isBlank() ? null : executor.image());
        if (buildImage == null) {
            throw new JobPodException("the job names no image and the fleet has no default "
                    + "(spec.executor.image); set image: in .gitlab-ci.yml or a default image in the fleet");
        }
        List<String> jobPullPolicy = job.imageIfNamed().map(JobImage::pullPolicy).orElse(List.of());
        List<PullPolicy> buildPull = PullPolicies.resolve(jobPullPolicy, executor.pullPolicy(),
                executor.allowedPullPolicies(), "image \"" + ServiceHostnames.printable(buildImage) + "\"");

        List<ServicePlan> services = ServicePlan.plan(allServices(executor, job), values);
        boolean nativeSidecars = executor.sidecarMode() == SidecarMode.NATIVE;
        List<Integer> healthPorts = nativeSidecars ? List.of() : services.stream()
                .filter(s -> s.startupPort().isPresent()).map(s -> s.startupPort().getAsInt()).distinct().toList();

        ExecutorVolumes extra = ExecutorVolumes.of(executor.volumes());
        List<VolumeMount> mounts = new ArrayList<>();
        if (!extra.coversBuildsDir()) {
            mounts.add(new VolumeMountBuilder().withName(BUILDS_VOLUME).withMountPath(JobPaths.BUILDS_DIR).build());
        }
        mounts.addAll(extra.mounts());

        List<EnvVar> jobEnv = env(variables.all(), "var.", secret);
        List<EnvVar> helperEnv = new ArrayList<>();
        helperEnv.add(secret.env(JOB_TOKEN_ENV, JobSecretData.JOB_TOKEN_KEY, job.token()));
        jobEnv.stream().filter(e -> !e.getName().equals(JOB_TOKEN_ENV)).forEach(helperEnv::add);
        List<EnvVar> prepareEnv = new ArrayList<>(helperEnv);
        prepareEnv.add(0, secret.env(REPO_URL_ENV, JobSecretData.REPO_URL_KEY, job.gitInfo().repoUrl()));

        String serverUrl = RepositoryUrls.serverUrl(job, variables);
        String helperImage = ctx.helperImage();
        ResourceRequirements helperResources = ResourceOverrides.resolve(executor.helper(),
                ResourceOverrides.Target.HELPER, values, variables::isSecret);
        SecurityContext helperSecurity = SecurityContexts.container(executor.helperSecurityContext(),
                executor.privileged());

        Container prepare = new ContainerBuilder().withName(PREPARE).withImage(helperImage)
                .withImagePullPolicy(first(buildPull))
                .withCommand("sh", "-c", PrepareScript.generate(GitSettings.of(job, variables), projectDir,
                        RepositoryUrls.withoutCredentials(job.gitInfo().repoUrl()), serverUrl, job.cache(),
                        job.dependencies()))
                .withEnv(prepareEnv).withResources(helperResources).withSecurityContext(helperSecurity)
                .withVolumeMounts(mounts).build();

        List<VolumeMount> buildMounts = new ArrayList<>(mounts);
        if (!secret.fileItems().isEmpty()) {
            buildMounts.add(new VolumeMountBuilder().withName(FILES_VOLUME).withMountPath(JobPaths.FILES_DIR)
                    .withReadOnly(true).build());
        }
        Container build = new ContainerBuilder().withName(BUILD).withImage(buildImage)
                .withImagePullPolicy(first(buildPull))
                .withCommand("sh", "-c", BuildScript.generate(stepScript(job), afterScript(job),
                        afterScriptTimeout(job, values), projectDir,
                        healthPorts.isEmpty() ? 0 : executor.pollTimeout()))
                .withWorkingDir(projectDir)
                .withEnv(jobEnv)
                .withResources(ResourceOverrides.resolve(executor.build(), ResourceOverrides.Target.BUILD, values,
                        variables::isSecret))
                .withSecurityContext(SecurityContexts.container(executor.buildSecurityContext(),
                        executor.privileged()))
                .withVolumeMounts(buildMounts).build();

        Container helper = new ContainerBuilder().withName(HELPER).withImage(helperImage)
                .withImagePullPolicy(first(buildPull))
                .withCommand("sh", "-c", HelperScript.generate(projectDir, serverUrl, job.id(), job.cache(),
                        job.artifacts(), healthPorts))
                .withEnv(helperEnv).withResources(helperResources).withSecurityContext(helperSecurity)
                .withVolumeMounts(mounts).build();

        List<Container> serviceContainers = new ArrayList<>();
        for (ServicePlan service : services) {
            serviceContainers.add(serviceContainer(service, executor, variables, variables.forServices(job), secret,
                    mounts, nativeSidecars));
        }

        List<Container> initContainers = new ArrayList<>();
        initContainers.add(prepare);
        List<Container> containers = new ArrayList<>(List.of(build, helper));
        (nativeSidecars ? initContainers : containers).addAll(serviceContainers);

        List<Volume> volumes = new ArrayList<>();
        if (!extra.coversBuildsDir()) {
            volumes.add(new VolumeBuilder().withName(BUILDS_VOLUME).withNewEmptyDir().endEmptyDir().build());
        }
        if (!secret.fileItems().isEmpty()) {
            volumes.add(new VolumeBuilder().withName(FILES_VOLUME).withNewSecret()
                    .withSecretName(JobPodNames.secretName(ctx.fleetName(), job.id()))
                    .withItems(secret.fileItems()).endSecret().build());
        }
        for (Volume volume : extra.volumes()) {
            if (volume.getName().equals(BUILDS_VOLUME) || volume.getName().equals(FILES_VOLUME)) {
                throw new JobPodException("spec.executor.volumes: the name \"" + volume.getName()
                        + "\" is reserved for the Job Pod's own volume; rename it");
            }
            volumes.add(volume);
        }

        Pod pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(ctx.namespace())
                .withLabels(PodMetadata.podLabels(ctx, job, name))
                .withAnnotations(PodMetadata.podAnnotations(ctx, job, variables))
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withActiveDeadlineSeconds((long) job.timeoutSeconds() + DEADLINE_GRACE_SECONDS)
                .withServiceAccountName(executor.serviceAccountName())
                .withImagePullSecrets(executor.imagePullSecrets().stream().map(LocalObjectReference::new).toList())
                .withNodeSelector(executor.nodeSelector().isEmpty() ? null : new java.util.TreeMap<>(
                        executor.nodeSelector()))
                .withTolerations(tolerations(executor))
                .withAffinity(affinity(executor))
                .withSecurityContext(SecurityContexts.pod(executor.podSecurityContext()))
                .withHostAliases(hostAliases(services, executor))
                .withDnsPolicy(PodDns.policy(executor.dns()))
                .withDnsConfig(PodDns.config(executor.dns()))
                .withInitContainers(initContainers)
                .withContainers(containers)
                .withVolumes(volumes)
                .endSpec()
                .build();

        Secret jobSecret = new SecretBuilder()
                .withNewMetadata().withName(JobPodNames.secretName(ctx.fleetName(), job.id()))
                .withNamespace(ctx.namespace()).withLabels(PodMetadata.ownLabels(ctx.fleetName(), job.id()))
                .endMetadata()
                .withType("Opaque")
                .withStringData(new java.util.TreeMap<>(secret.data()))
                .build();
        return new JobPodResources(pod, jobSecret);
    }

    private static Container serviceContainer(ServicePlan service, ExecutorSpec executor, JobVariables variables,
                                              List<JobVariables.Variable> shared, JobSecretData secret,
                                              List<VolumeMount> mounts, boolean nativeSidecar) {
        JobImage image = service.image();
        List<JobVariables.Variable> own = variables.serviceVariables(image.variables());
        List<EnvVar> env = new ArrayList<>(env(shared, "var.", secret));
        Set<String> ownKeys = new LinkedHashSet<>();
        own.forEach(v -> ownKeys.add(v.key()));
        env.removeIf(e -> ownKeys.contains(e.getName()));
        env.addAll(env(own, "svc." + service.containerName() + ".", secret));

        Map<String, String> overrideValues = new LinkedHashMap<>(variables.asMap());
        own.forEach(v -> overrideValues.put(v.key(), v.value()));
        List<PullPolicy> pull = PullPolicies.resolve(image.pullPolicy(), executor.pullPolicy(),
                executor.allowedPullPolicies(), "service \"" + ServiceHostnames.printable(image.name()) + "\"");
        ContainerBuilder builder = new ContainerBuilder().withName(service.containerName()).withImage(image.name())
                .withImagePullPolicy(first(pull))
                .withCommand(image.entrypoint().isEmpty() ? null : image.entrypoint())
                .withArgs(image.command().isEmpty() ? null : image.command())
                .withEnv(env)
                .withResources(ResourceOverrides.resolve(executor.service(), ResourceOverrides.Target.SERVICE,
                        overrideValues, key -> variables.isSecret(key) || own.stream()
                                .anyMatch(v -> v.key().equals(key) && v.secret())))
                .withSecurityContext(SecurityContexts.container(executor.serviceSecurityContext(),
                        executor.privileged()))
                .withVolumeMounts(mounts);
        if (nativeSidecar) {
            builder.withRestartPolicy("Always");
            service.startupPort().ifPresent(port -> builder.withStartupProbe(tcpProbe(port, executor.pollTimeout())));
        }
        return builder.build();
    }

    /** Checks every second, for as long as a pod may take to start ({@code pollTimeout}). */
    private static Probe tcpProbe(int port, int pollTimeout) {
        return new ProbeBuilder().withNewTcpSocket().withNewPort(port).endTcpSocket()
                .withPeriodSeconds(1).withTimeoutSeconds(1).withFailureThreshold(pollTimeout).build();
    }

    private static List<EnvVar> env(List<JobVariables.Variable> variables, String secretPrefix,
                                    JobSecretData secret) {
        List<EnvVar> env = new ArrayList<>();
        for (JobVariables.Variable variable : variables) {
            if (variable.file()) {
                secret.file(variable.key(), variable.value());
                env.add(literal(variable.key(), JobPaths.FILES_DIR + "/" + variable.key()));
            } else if (variable.secret()) {
                env.add(secret.env(variable.key(), secretPrefix + variable.key(), variable.value()));
            } else {
                env.add(literal(variable.key(), variable.value()));
            }
        }
        return env;
    }

    /** Kubernetes expands {@code $(NAME)} in env values; {@code $$} keeps a dollar literal. */
    private static EnvVar literal(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value.replace("$", "$$")).build();
    }

    private static List<JobImage> allServices(ExecutorSpec executor, JobPayload job) {
        List<JobImage> services = new ArrayList<>();
        for (RunnerService service : executor.services()) {
            List<JobVariable> environment = new ArrayList<>();
            for (String entry : service.environment()) {
                int equals = entry.indexOf('=');
                environment.add(JobVariable.publicVariable(entry.substring(0, Math.max(equals, 0)),
                        equals < 0 ? "" : entry.substring(equals + 1)));
            }
            services.add(new JobImage(service.name(), service.alias(), service.entrypoint(), service.command(),
                    null, environment));
        }
        services.addAll(job.services());
        return services;
    }

    private static List<HostAlias> hostAliases(List<ServicePlan> services, ExecutorSpec executor) {
        List<HostAlias> aliases = new ArrayList<>();
        Set<String> hostnames = new LinkedHashSet<>();
        services.forEach(s -> hostnames.addAll(s.hostnames()));
        if (!hostnames.isEmpty()) {
            aliases.add(new HostAliasBuilder().withIp("127.0.0.1").withHostnames(List.copyOf(hostnames)).build());
        }
        executor.hostAliases().forEach(a -> aliases.add(new HostAliasBuilder().withIp(a.ip())
                .withHostnames(a.hostnames()).build()));
        return aliases;
    }

    private static List<Toleration> tolerations(ExecutorSpec executor) {
        return executor.tolerations().stream().map(t -> new TolerationBuilder().withKey(t.key())
                .withOperator(t.operator() == null ? null : t.operator().name()).withValue(t.value())
                .withEffect(t.effect() == null ? null : t.effect().name()).build()).toList();
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

    private static List<String> stepScript(JobPayload job) {
        List<String> lines = new ArrayList<>();
        for (JobStep step : job.steps()) {
            if (!step.name().equals(JobStep.AFTER_SCRIPT)) {
                lines.addAll(step.script());
            }
        }
        return lines;
    }

    private static List<String> afterScript(JobPayload job) {
        return job.step(JobStep.AFTER_SCRIPT).map(JobStep::script).orElse(List.of());
    }

    /** gitlab-runner's after_script default is 5 minutes; a shorter step timeout wins. */
    private static int afterScriptTimeout(JobPayload job, Map<String, String> values) {
        int timeout = BuildScript.DEFAULT_AFTER_SCRIPT_TIMEOUT;
        String configured = values.getOrDefault("RUNNER_AFTER_SCRIPT_TIMEOUT", "").trim();
        // Whole hours, minutes and seconds only, as always; any other value keeps the default.
        if (configured.matches("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$") && !configured.isEmpty()) {
            timeout = GoDurations.toWholeSeconds(configured);
        }
        int step = job.step(JobStep.AFTER_SCRIPT).map(JobStep::timeout).orElse(0);
        return step > 0 ? Math.min(step, timeout) : timeout;
    }

    private static String first(List<PullPolicy> policies) {
        return policies.isEmpty() ? null : policies.get(0).kubernetesValue();
    }
}
