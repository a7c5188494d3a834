package io.runnerfleet.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.runnerfleet.diagnostics.JobPodDns;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsExplanationTest {

    /**
     * The Job Pod builder leaves a dnsConfig list out (null, so the pod spec has no empty list) when the fleet sets
     * none of it: searches without name servers is a valid fleet, for ClusterFirst.
     */
    @Test
    void aDnsConfigWithSearchesOnlyIsExplainedWithoutItsMissingLists() {
        PodDNSConfig config = new PodDNSConfigBuilder()
                .withNameservers((List<String>) null)
                .withSearches("ci.svc.cluster.local")
                .withOptions((List<PodDNSConfigOption>) null)
                .build();
        Pod pod = new PodBuilder()
                .withNewSpec()
                .withDnsPolicy("ClusterFirst")
                .withDnsConfig(config)
                .endSpec()
                .build();

        assertThat(DnsExplanation.podResolver(pod))
                .startsWith("the cluster DNS service")
                .endsWith("; search ci.svc.cluster.local")
                .doesNotContain("nameservers");
        assertThat(JobPodDns.nameservers(pod)).isEmpty();
    }
}
