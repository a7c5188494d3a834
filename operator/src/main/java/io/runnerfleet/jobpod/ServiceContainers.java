package io.runnerfleet.jobpod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.runnerfleet.api.v1alpha1.ExecutorSpec;
import io.runnerfleet.api.v1alpha1.PullPolicy;
import io.runnerfleet.api.v1alpha1.RunnerService;
import io.runnerfleet.gitlab.job.JobImage;
import io.runnerfleet.gitlab.job.JobPayload;
import io.runnerfleet.gitlab.job.JobVariable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Job Pod's service containers ({@code services:} of the fleet and of the job). */
final class ServiceContainers {
    private ServiceContainers() {}

    /**
     * The container of one service: the variables shared with services, overridden by the service's own; started
     * as a native sidecar ({@code restartPolicy: Always}) with a startup probe on its port when {@code nativeSidecar}.
     */
    static Container container(
            ServicePlan service,
            ExecutorSpec executor,
            JobVariables variables,
            List<JobVariables.Variable> shared,
            JobSecretData secret,
            List<VolumeMount> mounts,
            boolean nativeSidecar) {
        JobImage image = service.image();
        List<JobVariables.Variable> own = variables.serviceVariables(image.variables());
        List<EnvVar> env = new ArrayList<>(ContainerEnv.of(shared, "var.", secret));
        Set<String> ownKeys = new LinkedHashSet<>();
        own.forEach(v -> ownKeys.add(v.key()));
        env.removeIf(e -> ownKeys.contains(e.getName()));
        env.addAll(ContainerEnv.of(own, "svc." + service.containerName() + ".", secret));

        Map<String, String> overrideValues = new LinkedHashMap<>(variables.asMap());
        own.forEach(v -> overrideValues.put(v.key(), v.value()));
        List<PullPolicy> pull = pullPolicies(service, executor);
        DockerdInheritance.Start start = DockerdInheritance.start(image, executor);
        ContainerBuilder builder = new ContainerBuilder()
                .withName(service.containerName())
                .withImage(image.name())
                .withImagePullPolicy(PullPolicies.imagePullPolicy(pull))
                .withCommand(start.command().isEmpty() ? null : start.command())
                .withArgs(start.args().isEmpty() ? null : start.args())
                .withEnv(env)
                .withResources(ResourceOverrides.resolve(
                        executor.service(),
                        ResourceOverrides.Target.SERVICE,
                        overrideValues,
                        key -> variables.isSecret(key)
                                || own.stream().anyMatch(v -> v.key().equals(key) && v.secret())))
                .withSecurityContext(SecurityContexts.container(
                        executor.serviceSecurityContext(), executor, user(service, executor, variables)))
                .withLifecycle(ContainerLifecycles.of(executor))
                .withVolumeMounts(mounts);
        if (nativeSidecar) {
            builder.withRestartPolicy("Always");
            service.startupPort().ifPresent(port -> builder.withStartupProbe(tcpProbe(port, executor.pollTimeout())));
        }
        return builder.build();
    }

    /** The service's own {@code pull_policy}, else the executor's, filtered by the allowed ones ({@link PullPolicies}). */
    static List<PullPolicy> pullPolicies(ServicePlan service, ExecutorSpec executor) {
        return PullPolicies.resolve(
                service.image().pullPolicy(),
                executor.pullPolicy(),
                executor.allowedPullPolicies(),
                "service \"" + ServiceHostnames.printable(service.image().name()) + "\"");
    }

    /** The service's own {@code executor_opts: kubernetes: user}, as gitlab-runner applies it to that service. */
    static ImageUser user(ServicePlan service, ExecutorSpec executor, JobVariables variables) {
        String user = service.image().executorOpts().kubernetesUser();
        return ImageUser.resolve(
                user == null ? null : variables.expand(user),
                service.containerName(),
                executor.serviceSecurityContext(),
                executor);
    }

    /** Checks every second, for as long as a pod may take to start ({@code pollTimeout}). */
    private static Probe tcpProbe(int port, int pollTimeout) {
        return new ProbeBuilder()
                .withNewTcpSocket()
                .withNewPort(port)
                .endTcpSocket()
                .withPeriodSeconds(1)
                .withTimeoutSeconds(1)
                .withFailureThreshold(pollTimeout)
                .build();
    }

    /**
     * The fleet's services ({@code spec.executor.services}) first, then the job's, whose names and aliases have the
     * job's variables expanded ({@code common/build.go} {@code expandContainerOptions}; gitlab-runner expands neither
     * the fleet's services nor any entrypoint or command).
     */
    static List<JobImage> allServices(
            ExecutorSpec executor, JobPayload job, java.util.function.UnaryOperator<String> expand) {
        List<JobImage> services = new ArrayList<>();
        for (RunnerService service : executor.services()) {
            List<JobVariable> environment = new ArrayList<>();
            for (String entry : service.environment()) {
                int equals = entry.indexOf('=');
                environment.add(JobVariable.publicVariable(
                        entry.substring(0, Math.max(equals, 0)), equals < 0 ? "" : entry.substring(equals + 1)));
            }
            services.add(new JobImage(
                    service.name(), service.alias(), service.entrypoint(), service.command(), null, environment));
        }
        for (JobImage service : job.services()) {
            services.add(new JobImage(
                    expand.apply(service.name()),
                    service.alias() == null ? null : expand.apply(service.alias()),
                    service.entrypoint(),
                    service.command(),
                    service.pullPolicy(),
                    service.variables(),
                    service.executorOpts()));
        }
        return services;
    }
}
