package io.runnerfleet.explain;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.runnerfleet.diagnostics.JobPodDns;
import io.runnerfleet.jobpod.DockerdInheritance;
import java.util.ArrayList;
import java.util.List;

/**
 * What the containers dockerd starts in a Docker-in-Docker service ({@code RUN} steps, {@code docker run}) resolve
 * through and which MTU they get, read from the service container as built, so it cannot disagree with the pod
 * ({@code spec.executor.dind.inherit}, {@link DockerdInheritance}).
 */
final class DockerdNetworkExplanation {
    private static final String INHERIT = "spec.executor.dind.inherit";

    private DockerdNetworkExplanation() {}

    /** The resolver of dockerd's containers: dockerd's DNS flags, else a copy of the pod's resolv.conf. */
    static String containersResolver(Pod pod, Container service, boolean inherit) {
        List<String> servers = JobPodDns.dockerdFlag(service, "--dns");
        List<String> searches = JobPodDns.dockerdFlag(service, "--dns-search");
        List<String> options = JobPodDns.dockerdFlag(service, "--dns-opt");
        String podResolver = DnsExplanation.resolverShort(pod);
        if (servers.isEmpty() && searches.isEmpty() && options.isEmpty()) {
            String why = !inherit
                    ? " (" + INHERIT + " is off)"
                    : "None".equals(pod.getSpec().getDnsPolicy())
                            ? " (the service does not start dockerd with options, so " + INHERIT + " adds none)"
                            : "";
            return "a copy of dockerd's /etc/resolv.conf, i.e. the pod resolver (" + podResolver
                    + "); dockerd has no --dns" + why;
        }
        List<String> flags = new ArrayList<>();
        if (!servers.isEmpty()) {
            flags.add("--dns " + String.join(", ", servers));
        }
        if (!searches.isEmpty()) {
            flags.add("--dns-search " + String.join(" ", searches));
        }
        if (!options.isEmpty()) {
            flags.add("--dns-opt " + String.join(" ", options));
        }
        String described = "dockerd's " + String.join("; ", flags);
        if (!sameAsPod(pod, servers, searches, options)) {
            return described + ": not the pod resolver (" + podResolver + "), the service's own flags"
                    + (inherit ? ", which win over " + INHERIT : "");
        }
        return described + ": the pod's own resolver" + (inherit ? " (" + INHERIT + ")" : "");
    }

    /** The MTU of dockerd's networks and their containers. */
    static String containersMtu(Container service, boolean inherit) {
        if (DockerdInheritance.readsPodMtu(service.getCommand())) {
            return "the pod interface's (eth0), read when the service starts (" + INHERIT + ")";
        }
        List<String> own = JobPodDns.dockerdFlag(service, "--mtu");
        if (!own.isEmpty()) {
            return "--mtu " + own.get(own.size() - 1) + ", the service's own"
                    + (inherit ? ", which wins over " + INHERIT : "");
        }
        return "Docker's default, 1500, whatever the pod's MTU"
                + (inherit
                        ? " (the service does not start dockerd with options, so " + INHERIT + " adds nothing)"
                        : " (" + INHERIT + " is off)");
    }

    /** True when a pod with {@code dnsPolicy: None} resolves through exactly these servers, searches and options. */
    private static boolean sameAsPod(Pod pod, List<String> servers, List<String> searches, List<String> options) {
        PodDNSConfig config = pod.getSpec().getDnsConfig();
        if (config == null || !"None".equals(pod.getSpec().getDnsPolicy())) {
            return false;
        }
        List<String> podOptions = JobPodDns.configList(pod, PodDNSConfig::getOptions).stream()
                .map(o -> o.getName() + (o.getValue() == null ? "" : ":" + o.getValue()))
                .toList();
        return servers.equals(JobPodDns.configList(pod, PodDNSConfig::getNameservers))
                && searches.equals(JobPodDns.configList(pod, PodDNSConfig::getSearches))
                && options.equals(podOptions);
    }
}
