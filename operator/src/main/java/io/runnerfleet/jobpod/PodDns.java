package io.runnerfleet.jobpod;

import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigOptionBuilder;
import io.runnerfleet.api.v1alpha1.DnsSpec;

/**
 * The Job Pod's resolver. gitlab-runner always sets {@code dnsPolicy} (ClusterFirst when unset), and adds a
 * {@code dnsConfig} only when the fleet lists name servers, search domains or options. Every container, dockerd
 * in a DinD service included, reads the resulting {@code /etc/resolv.conf}.
 */
final class PodDns {
    private PodDns() {}

    static String policy(DnsSpec dns) {
        return dns.policy().name();
    }

    static PodDNSConfig config(DnsSpec dns) {
        if (!dns.hasConfig()) {
            return null;
        }
        return new PodDNSConfigBuilder()
                .withNameservers(dns.nameservers().isEmpty() ? null : dns.nameservers())
                .withSearches(dns.searches().isEmpty() ? null : dns.searches())
                .withOptions(
                        dns.options().isEmpty()
                                ? null
                                : dns.options().stream()
                                        .map(o -> new PodDNSConfigOptionBuilder()
                                                .withName(o.name())
                                                .withValue(o.value())
                                                .build())
                                        .toList())
                .build();
    }
}
