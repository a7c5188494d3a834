package io.runnerfleet.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.runnerfleet.desired.FleetNames;
import io.runnerfleet.testing.External;
import io.runnerfleet.testing.RealApiServer;
import io.runnerfleet.testing.RealApiServerExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart's optional NetworkPolicies (values {@code networkPolicy}): off by default; when on, the operator may reach
 * only the API server and DNS, the managers the API server, GitLab and DNS, and the real kube-apiserver accepts every
 * policy as rendered.
 */
@External.Helm
@External.ApiServer
@ExtendWith(RealApiServerExtension.class)
class ChartNetworkPolicyOnRealApiServerTest {
    private static KubernetesClient client;

    @BeforeAll
    static void start(RealApiServer server) {
        client = server.admin();
        for (String namespace : List.of(HelmChart.NAMESPACE, "gitlab", "ci", "builds")) {
            server.createNamespaceNamed(namespace);
        }
    }

    static Map<String, Object> enabled() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("networkPolicy.enabled", true);
        values.put("networkPolicy.apiServer.cidrs[0]", "10.0.0.1/32");
        values.put("networkPolicy.gitlab.cidrs[0]", "203.0.113.10/32");
        values.put("networkPolicy.gitlab.cidrs[1]", "203.0.113.11/32");
        values.put("networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.name", "monitoring");
        values.put("watchNamespaces[0]", "gitlab");
        values.put("watchNamespaces[1]", "ci");
        values.put("networkPolicy.managerNamespaces[0]", "builds");
        values.put("fleets[0].name", "build-fleet");
        values.put("fleets[0].namespace", "gitlab");
        values.put("fleets[0].spec.gitlab.url", "https://gitlab.example.com/");
        values.put("fleets[0].spec.gitlab.tokenSecretRef.name", "build-fleet-token");
        return values;
    }

    @Test
    void offByDefault() {
        assertThat(policies(Map.of())).isEmpty();
    }

    @Test
    void theOperatorReachesOnlyTheApiServerAndDns() {
        NetworkPolicy operator = policies(enabled()).stream()
                .filter(p -> p.getMetadata().getNamespace().equals(HelmChart.NAMESPACE))
                .findFirst()
                .orElseThrow();

        assertThat(operator.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(operator.getSpec().getPodSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/component", "operator");
        assertThat(cidrs(operator.getSpec().getEgress())).containsExactly("10.0.0.1/32");
        assertThat(ports(operator.getSpec().getEgress())).containsExactlyInAnyOrder(443, 6443, 53, 53);
    }

    @Test
    void managersReachTheApiServerGitLabAndDnsInEveryFleetNamespace() {
        List<NetworkPolicy> managers = policies(enabled()).stream()
                .filter(p -> !p.getMetadata().getNamespace().equals(HelmChart.NAMESPACE))
                .toList();

        assertThat(managers)
                .extracting(p -> p.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("gitlab", "ci", "builds");
        for (NetworkPolicy policy : managers) {
            assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                    .containsEntry("app.kubernetes.io/component", "manager")
                    .doesNotContainKey("runnerfleet.io/job");
            assertThat(cidrs(policy.getSpec().getEgress()))
                    .containsExactlyInAnyOrder("10.0.0.1/32", "203.0.113.10/32", "203.0.113.11/32");
            assertThat(policy.getSpec()
                            .getIngress()
                            .get(0)
                            .getPorts()
                            .get(0)
                            .getPort()
                            .getIntVal())
                    .isEqualTo(FleetNames.METRICS_PORT);
            assertThat(policy.getSpec().getIngress().get(0).getFrom())
                    .extracting(from -> from.getNamespaceSelector().getMatchLabels())
                    .containsExactly(Map.of("name", "monitoring"));
        }
    }

    @Test
    void theApiServerAcceptsEveryRenderedPolicy() {
        List<NetworkPolicy> rendered = policies(enabled());
        assertThat(rendered).hasSize(4);
        for (NetworkPolicy policy : rendered) {
            NetworkPolicy created = client.network()
                    .v1()
                    .networkPolicies()
                    .inNamespace(policy.getMetadata().getNamespace())
                    .resource(policy)
                    .create();
            assertThat(created.getSpec()).isEqualTo(policy.getSpec());
        }
    }

    @Test
    void enabledWithoutAddressesIsRefusedNamingTheValue() {
        assertThatThrownBy(() -> HelmChart.template(
                        Map.of("networkPolicy.enabled", true, "networkPolicy.gitlab.cidrs[0]", "203.0.113.10/32")))
                .hasMessageContaining("networkPolicy.apiServer.cidrs");
        assertThatThrownBy(() -> HelmChart.template(
                        Map.of("networkPolicy.enabled", true, "networkPolicy.apiServer.cidrs[0]", "10.0.0.1/32")))
                .hasMessageContaining("networkPolicy.gitlab.cidrs");
        assertThatThrownBy(() -> HelmChart.template(Map.of(
                        "networkPolicy.enabled", true, "networkPolicy.apiServer.cidrs[0]", "gitlab.example.com")))
                .hasMessageContaining("networkPolicy.apiServer.cidrs");
    }

    private static List<NetworkPolicy> policies(Map<String, Object> values) {
        return HelmChart.documents(HelmChart.template(values)).stream()
                .filter(d -> d.path("kind").asText().equals("NetworkPolicy"))
                .map(JsonNode::toString)
                .map(json -> Serialization.unmarshal(json, NetworkPolicy.class))
                .toList();
    }

    private static List<String> cidrs(List<NetworkPolicyEgressRule> rules) {
        return rules.stream()
                .flatMap(r -> r.getTo() == null ? java.util.stream.Stream.empty() : r.getTo().stream())
                .map(NetworkPolicyPeer::getIpBlock)
                .filter(Objects::nonNull)
                .map(b -> b.getCidr())
                .toList();
    }

    private static List<Integer> ports(List<NetworkPolicyEgressRule> rules) {
        return rules.stream()
                .flatMap(r -> r.getPorts().stream())
                .map(NetworkPolicyPort::getPort)
                .map(p -> p.getIntVal())
                .toList();
    }
}
