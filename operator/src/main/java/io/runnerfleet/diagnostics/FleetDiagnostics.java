package io.runnerfleet.diagnostics;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.Pod;
import io.runnerfleet.api.v1alpha1.RunnerFleet;
import io.runnerfleet.gitlab.job.JobPayload;
import io.runnerfleet.gitlab.job.JobVariable;
import io.runnerfleet.jobpod.ImageReference;
import io.runnerfleet.jobpod.JobPodBuilder;
import io.runnerfleet.jobpod.JobPodException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Known misconfigurations of a fleet and its jobs, found in a Job Pod and the job it came from: dockerd given
 * {@code --dns} while the pod has no DNS of its own, Docker-in-Docker without privileged, registries only the node's
 * resolver may know, DNS set through CI variables, a {@code DOCKER_HOST} no service answers to. Pure, so that
 * {@code explain} prints and the fleet's {@code Diagnostics} condition carries the same words
 * (docs/architecture.md).
 */
public final class FleetDiagnostics {
    private static final Pattern DNS_VARIABLE =
            Pattern.compile("^(KUBERNETES_.*(DNS|NAMESERVER).*|DNS_POLICY|DNS_CONFIG|DNS_SERVERS?|NAMESERVERS?)$");
    private static final Pattern DOCKER_HOST = Pattern.compile("^tcp://([^:/]+)(:[0-9]+)?/?$");
    private static final Set<String> CLUSTER_POLICIES = Set.of("ClusterFirst", "ClusterFirstWithHostNet");

    private FleetDiagnostics() {}

    /** The fleet's own misconfigurations, judged on the Job Pod of its {@link PlaceholderJob}. */
    public static List<String> of(RunnerFleet fleet) {
        Pod pod;
        try {
            pod = PlaceholderJob.pod(fleet);
        } catch (JobPodException e) {
            return List.of(wouldNotStart(e));
        }
        return of(pod, Optional.empty());
    }

    /** What is wrong with a Job Pod, and with the job it was built for when given. */
    public static List<String> of(Pod pod, Optional<JobPayload> job) {
        List<Container> services = JobPodServices.of(pod);
        List<String> warnings = new ArrayList<>();
        boolean podDns = JobPodDns.nameservers(pod).isPresent();
        for (Container service : services) {
            if (!ImageReference.isDind(service.getImage())) {
                continue;
            }
            List<String> dns = JobPodDns.dockerdDns(service);
            if (!dns.isEmpty() && !podDns) {
                warnings.add("service " + service.getName() + " passes --dns " + String.join(", ", dns)
                        + " to dockerd, but the pod has no dnsConfig: --dns only changes the containers dockerd "
                        + "starts (RUN steps); dockerd's own image pulls (FROM) still use the pod's resolver. "
                        + "Set spec.executor.dns (policy None and nameservers) for the pulls.");
            }
            Boolean privileged = service.getSecurityContext() == null
                    ? null
                    : service.getSecurityContext().getPrivileged();
            if (!Boolean.TRUE.equals(privileged)) {
                warnings.add("service " + service.getName() + " runs Docker-in-Docker (" + service.getImage()
                        + ") without privileged: dockerd will not start. Set spec.executor.privileged: true or "
                        + "spec.executor.serviceSecurityContext.privileged: true.");
            }
        }
        job.ifPresent(j -> jobWarnings(j, pod, services, warnings));
        externalRegistryOnClusterDns(pod, services, warnings);
        return warnings;
    }

    private static void jobWarnings(JobPayload job, Pod pod, List<Container> services, List<String> warnings) {
        Set<String> seen = new LinkedHashSet<>();
        for (JobVariable variable : job.variables()) {
            if (DNS_VARIABLE.matcher(variable.key()).matches() && seen.add(variable.key())) {
                warnings.add("job variable " + variable.key() + " changes nothing: CI variables do not configure "
                        + "the Job Pod's DNS. Set spec.executor.dns in the fleet instead.");
            }
        }
        // What the build container gets (the job's value over the fleet's environment, expanded); the job's as
        // written when that is a secret.
        Optional<String> dockerHost = buildEnv(pod, "DOCKER_HOST").or(() -> job.variable("DOCKER_HOST"));
        if (dockerHost.isEmpty()) {
            return;
        }
        Matcher m = DOCKER_HOST.matcher(dockerHost.get().trim());
        if (!m.matches()) {
            return;
        }
        String host = m.group(1);
        if (host.equals("localhost") || host.equals("127.0.0.1")) {
            return;
        }
        Set<String> hostnames = new LinkedHashSet<>();
        for (HostAlias alias : pod.getSpec().getHostAliases()) {
            hostnames.addAll(alias.getHostnames());
        }
        if (hostnames.contains(host)) {
            return;
        }
        for (Container service : services) {
            if (ImageReference.isDind(service.getImage())) {
                warnings.add("DOCKER_HOST is " + dockerHost.get().trim() + ", but no service answers to \"" + host
                        + "\": " + service.getImage() + " without an alias is reachable as "
                        + ImageReference.repository(service.getImage()).replace('/', '-')
                        + " only. Add alias: " + host + " to the service in .gitlab-ci.yml.");
                return;
            }
        }
    }

    /** A literal env value of the build container ({@code $$} undone), if it has one. */
    private static Optional<String> buildEnv(Pod pod, String name) {
        return pod.getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(JobPodBuilder.BUILD))
                .flatMap(c -> c.getEnv().stream())
                .filter(e -> e.getName().equals(name) && e.getValue() != null)
                .map(e -> e.getValue().replace("$$", "$"))
                .reduce((first, last) -> last);
    }

    private static void externalRegistryOnClusterDns(Pod pod, List<Container> services, List<String> warnings) {
        String policy = pod.getSpec().getDnsPolicy() == null
                ? "ClusterFirst"
                : pod.getSpec().getDnsPolicy();
        if (!CLUSTER_POLICIES.contains(policy) || JobPodDns.nameservers(pod).isPresent()) {
            return;
        }
        Set<String> registries = new LinkedHashSet<>();
        List<Container> all = new ArrayList<>(pod.getSpec().getInitContainers());
        all.addAll(pod.getSpec().getContainers());
        all.forEach(c -> registry(c.getImage()).ifPresent(registries::add));
        for (Container service : services) {
            if (ImageReference.isDind(service.getImage()) && service.getArgs() != null) {
                service.getArgs().stream()
                        .filter(a -> a.startsWith("--insecure-registry="))
                        .map(a -> a.substring("--insecure-registry=".length()))
                        .forEach(registries::add);
            }
        }
        registries.removeIf(r -> r.endsWith(".svc") || r.contains(".svc.") || r.endsWith(".cluster.local"));
        if (!registries.isEmpty()) {
            warnings.add("the Job Pods use cluster DNS (" + policy + ") with no nameservers, and images come from "
                    + String.join(", ", registries) + ". The kubelet pulls the pod's images through the node's "
                    + "resolver, but dockerd in a DinD service and git in the prepare container resolve through "
                    + "cluster DNS; if it does not resolve these names, set spec.executor.dns (policy None, "
                    + "nameservers).");
        }
    }

    /** Why the Job Pod could not be built: the job would be refused before it starts. */
    public static String wouldNotStart(JobPodException e) {
        return "This job would not start: " + e.getMessage();
    }

    /** The registry host of an image, when it names one ({@code registry.example.com/x} but not {@code alpine}). */
    private static Optional<String> registry(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String first = image.substring(0, slash);
        if (!first.contains(".") && !first.contains(":") && !first.equals("localhost")) {
            return Optional.empty();
        }
        return Optional.of(first.replaceFirst(":[0-9]+$", ""));
    }
}
