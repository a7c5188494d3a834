package io.runnerfleet.explain;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.runnerfleet.diagnostics.JobPodDns;
import java.util.ArrayList;
import java.util.List;

/**
 * Which resolver each container of a Job Pod uses. All containers share the pod's {@code /etc/resolv.conf}; inside a
 * Docker-in-Docker service, dockerd's own look-ups (pulling {@code FROM} images) use it too, while the containers
 * dockerd starts ({@code RUN} steps) get dockerd's {@code --dns} if given, else a copy of dockerd's resolver.
 */
final class DnsExplanation {
    private DnsExplanation() {}

    static String podResolver(Pod pod) {
        String policy = pod.getSpec().getDnsPolicy() == null
                ? "ClusterFirst"
                : pod.getSpec().getDnsPolicy();
        PodDNSConfig config = pod.getSpec().getDnsConfig();
        String base = switch (policy) {
            case "None" -> "only the name servers below (dnsPolicy None)";
            case "Default" -> "the node's own resolver (dnsPolicy Default)";
            default ->
                "the cluster DNS service, which answers cluster names and forwards the rest upstream " + "(dnsPolicy "
                        + policy + ")";
        };
        if (config == null) {
            return base;
        }
        List<String> nameservers = JobPodDns.configList(pod, PodDNSConfig::getNameservers);
        List<String> searches = JobPodDns.configList(pod, PodDNSConfig::getSearches);
        List<PodDNSConfigOption> options = JobPodDns.configList(pod, PodDNSConfig::getOptions);
        List<String> parts = new ArrayList<>();
        if (!nameservers.isEmpty()) {
            parts.add("nameservers " + String.join(", ", nameservers));
        }
        if (!searches.isEmpty()) {
            parts.add("search " + String.join(" ", searches));
        }
        if (!options.isEmpty()) {
            parts.add("options "
                    + String.join(
                            " ",
                            options.stream()
                                    .map(o -> o.getName() + (o.getValue() == null ? "" : ":" + o.getValue()))
                                    .toList()));
        }
        return base + "; " + String.join("; ", parts);
    }

    /** The name servers in words: the listed ones, else which DNS the policy means. */
    static String resolverShort(Pod pod) {
        return JobPodDns.nameservers(pod)
                .orElseGet(
                        () -> "Default".equals(pod.getSpec().getDnsPolicy()) ? "the node's resolver" : "cluster DNS");
    }
}
